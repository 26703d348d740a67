/** NeMo Gym's workplace_assistant tables (Apache-2.0), pinned to one commit and checked by SHA-256. */
export const WORKPLACE_DATA_COMMIT = '07d6b0d07b22fcf530b4c211dae2ee23100428e4';

export const WORKPLACE_DATA_FILES: ReadonlyArray<{ name: string; sha256: string }> = [
  { name: 'analytics_data.csv', sha256: '4a0df10aabc07980f1cc074dc9ab36406ce98dead7e14fe11f72a9f1ba788688' },
  { name: 'calendar_events.csv', sha256: '6c9df1872d54d0b0d068d1b066766a8ddbc29c3933f1d56c9efd554926312295' },
  { name: 'customer_relationship_manager_data.csv', sha256: '599057e4eec3a7c25ac04b4d655ea2c034b7b7782205dc367a28122756e04c41' },
  { name: 'emails.csv', sha256: '1809e341a0e4f1fd78cf1b759964a42abd28db8c9b9dca364456efc31f82bb31' },
  { name: 'project_tasks.csv', sha256: 'fa0c05d5609f49e905342bd12592b09f23eff6147dcf607b808703f45ddbeaeb' },
];

export const WORKPLACE_DATA_BASE_URL = `https://raw.githubusercontent.com/NVIDIA-NeMo/Gym/${WORKPLACE_DATA_COMMIT}/resources_servers/workplace_assistant/csv_data/processed`;

/** Where a NeMo Gym checkout keeps the tables, relative to its root. */
export const NEMO_GYM_CHECKOUT_DATA_PATH = 'resources_servers/workplace_assistant/csv_data/processed';

/** Where the package ships the tables (with their NOTICE and LICENSE), relative to its root. */
export const BUNDLED_DATA_PATH = 'data/workplace_assistant';
