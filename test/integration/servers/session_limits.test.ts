import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createWorkplaceEnvironment, loadWorkplaceTables } from '../../../src/core/environments/workplace';
import { silentLogger } from '../../../src/core/logger';
import { HttpClient } from '../../../src/core/servers/http/http_client';
import type { NemoHttpServer } from '../../../src/core/servers/http/http_server';
import { createWorkplaceResourcesServer } from '../../../src/core/servers/resources/workplace_resources_server';
import { WORKPLACE_CSV_DIR } from '../../support/paths';

const MiB = 1024 * 1024;

/**
 * A policy that sends huge values bloats its own session only up to `max_session_state_mb`: past it, the write is
 * refused with an error the model reads, and nothing changes; other sessions are unaffected.
 */
describe('per-session state limit', () => {
  let server: NemoHttpServer;
  let url: string;
  const client = new HttpClient();

  beforeAll(async () => {
    const environment = createWorkplaceEnvironment(await loadWorkplaceTables(WORKPLACE_CSV_DIR), { maxSessionStateBytes: 4 * MiB });
    server = createWorkplaceResourcesServer({ name: 'workplace_assistant', environment, logger: silentLogger });
    url = await server.listen('127.0.0.1', 0);
  });
  afterAll(async () => {
    client.close();
    await server?.close();
  });

  async function session(): Promise<Map<string, string>> {
    return (await client.post(`${url}/seed_session`, '{}')).setCookies;
  }

  async function call(cookies: Map<string, string>, tool: string, args: unknown): Promise<unknown> {
    const answer = await client.post(`${url}/${tool}`, JSON.stringify(args), { cookies });
    expect(answer.status).toBe(200);
    return (JSON.parse(answer.bodyText) as { output: unknown }).output;
  }

  it('refuses writes past the limit, keeps what was written before, and leaves other sessions alone', async () => {
    const greedy = await session();
    const other = await session();
    const body = 'x'.repeat(MiB);
    const outputs: unknown[] = [];
    for (let i = 0; i < 8; i++) outputs.push(await call(greedy, 'email_send_email', { recipient: `user${i}@atlas.com`, subject: `big ${i}`, body }));
    // The tool's own `except Exception` words it (as Python would for any exception raised inside it).
    const refusal = "Error sending email: this session's data would grow past its limit of 4 MiB (max_session_state_mb); the change was not made";
    expect(outputs.slice(0, 3)).toEqual(Array(3).fill('Email sent successfully.'));
    expect(outputs.slice(4)).toEqual(Array(4).fill(refusal));
    // The refused sends changed nothing: only the accepted ones are there.
    const found = await call(greedy, 'email_search_emails', { query: 'big', page_size: 100 });
    expect(JSON.stringify(found).match(/"subject":"big \d"/g)?.length ?? (found as { emails: unknown[] }).emails?.length).toBeLessThanOrEqual(4);
    // Updates are charged too.
    expect(await call(greedy, 'project_management_update_task', { task_id: '00000000', field: 'task_name', new_value: body })).toMatch(/this session's data would grow past its limit/);
    // Another session writes as usual.
    expect(await call(other, 'email_send_email', { recipient: 'a@atlas.com', subject: 'small', body: 'hello' })).toBe('Email sent successfully.');
  });

  it('a fresh seed gives the session its whole allowance again', async () => {
    const cookies = await session();
    const body = 'y'.repeat(3 * MiB);
    expect(await call(cookies, 'email_send_email', { recipient: 'a@atlas.com', subject: 's', body })).toBe('Email sent successfully.');
    expect(await call(cookies, 'email_send_email', { recipient: 'a@atlas.com', subject: 's', body })).toMatch(/would grow past its limit/);
    await client.post(`${url}/seed_session`, '{}', { cookies });
    expect(await call(cookies, 'email_send_email', { recipient: 'a@atlas.com', subject: 's', body })).toBe('Email sent successfully.');
  });
});
