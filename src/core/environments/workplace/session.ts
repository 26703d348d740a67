import { defaultRegexGuard, type RegexGuard } from '../../python/regex_guard';
import { StateBudget } from './state_budget';
import { CowTable, makeSnapshot, type TableSnapshot } from './table';
import { PLOT_COLUMNS, type WorkplaceTables } from './tables';

/** The five tables verification compares (WORKPLACE_TOOLS.md §7.4), in a fixed order. */
export const COMPARED_TABLES = ['email', 'calendar', 'analytics_plots', 'project_management', 'customer_relationship_manager'] as const;
export type ComparedTableName = (typeof COMPARED_TABLES)[number];

/** `AnalyticsTool._plots_data` starts as an empty table with the single column `file_path`. */
export const EMPTY_PLOTS: TableSnapshot = makeSnapshot('analytics_plots', PLOT_COLUMNS, []);

/**
 * One seeded environment (`get_tools(...)` for one session id). Creating one costs a handful of small objects: every
 * table reads the shared base until the session first writes to it.
 */
export class WorkplaceSession {
  emails!: CowTable;
  calendar!: CowTable;
  plots!: CowTable;
  tasks!: CowTable;
  crm!: CowTable;
  /**
   * `analytics_get_average_session_duration()` without bounds converts `session_duration_seconds` to float64 in
   * place for the rest of the session (§3.6). The conversion is recorded instead of copying the 1,000 rows.
   */
  sessionDurationsAreFloats = false;

  /**
   * `maxStateBytes`: what this session's writes may add (null: no limit, as for verification replays).
   * `regexGuard`: how the tools run the model's regular expressions (inline when cheap, else in a worker that can
   * be stopped); the resources server passes its own.
   */
  constructor(
    readonly base: WorkplaceTables,
    private readonly maxStateBytes: number | null = null,
    readonly regexGuard: RegexGuard = defaultRegexGuard(),
  ) {
    this.reset();
  }

  get analytics(): TableSnapshot {
    return this.base.analytics;
  }

  get directory(): readonly string[] {
    return this.base.directory;
  }

  /** Fresh state, as `seed_session` gives: every table back to the shared base. */
  reset(): void {
    const budget = this.maxStateBytes === null ? null : new StateBudget(this.maxStateBytes);
    this.emails = new CowTable(this.base.emails, budget);
    this.calendar = new CowTable(this.base.calendar, budget);
    this.plots = new CowTable(EMPTY_PLOTS, budget);
    this.tasks = new CowTable(this.base.tasks, budget);
    this.crm = new CowTable(this.base.crm, budget);
    this.sessionDurationsAreFloats = false;
  }

  comparedTable(name: ComparedTableName): CowTable {
    switch (name) {
      case 'email':
        return this.emails;
      case 'calendar':
        return this.calendar;
      case 'analytics_plots':
        return this.plots;
      case 'project_management':
        return this.tasks;
      case 'customer_relationship_manager':
        return this.crm;
    }
  }
}
