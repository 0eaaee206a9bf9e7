import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import type { FastifyInstance } from 'fastify';
import { chromium, type BrowserContext, type Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { refillRoutes } from '../../src/api/routes/refill';
import { buildServer } from '../../src/api/server';
import { createRun, finishRun, insertRunResults } from '../../src/db/runs';
import { insertRunSuppressed } from '../../src/db/suppressed-in-runs';
import { openQueueSide } from '../../src/queue/queue-backend';
import { RefillQueue } from '../../src/queue/refill-queue';
import { putSkill } from '../../src/services/skills';
import { addEntries } from '../../src/services/suppression-entries';
import { putList } from '../../src/services/suppression-lists';
import type { AppDeps } from '../../src/app-deps';
import { dropPrefix, testDeps } from '../queue/queue-test-kit';
import { QUEUE_BACKENDS } from '../support/backends';
import { freshSchema, uniquePrefix, type TestDb } from '../support/db';
import { refreshPlaces, zoneInsideWindow } from '../support/prospect-fixtures';

/**
 * The queue dashboard in a real browser, against the real service: the page loads after the key
 * form, shows the skills' depth and an hour of history, opens a run's failed records with numbers
 * masked, and its button queues a refill in BullMQ. Leaves a screenshot at /tmp/dashboard.png.
 */
const KEYS = { operator: 'op-key-browser-1', viewer: 'view-key-browser-3' };

describe.each(QUEUE_BACKENDS)('on %s', (backend) => {
  const prefix = uniquePrefix('dashbrowser');

  let db: TestDb;
  let app: FastifyInstance;
  let refill: RefillQueue;
  let baseUrl: string;
  let context: BrowserContext;
  let userDataDir: string;
  let runId: number;
  let markupRunId: number;
  let deps: AppDeps;

  /** Record text that would become elements if the page rendered data as HTML. */
  const MARKUP = { externalId: '<b>x</b>', message: '<img src=x onerror="window.__pwned=1">' };

  async function seedProspects(skillNo: number, count: number, zone: string): Promise<void> {
    await db.pool.query(`INSERT INTO time_zones (name) VALUES ($1) ON CONFLICT DO NOTHING`, [zone]);
    await db.pool.query(
      `INSERT INTO prospects (skill_no, source_name, external_id, time_zone, time_zone_source, number_zones)
     SELECT $1::int, 'crm', 'P' || $1::int || '-' || g, $2, 'Field', ARRAY[$2] FROM generate_series(1, $3::int) g`,
      [skillNo, zone, count],
    );
    await db.pool.query(
      `INSERT INTO destinations (prospect_id, position, phone_number, type, time_zone)
     SELECT prospect_id, 0, '+1212555' || lpad((prospect_id % 10000)::text, 4, '0'), 'Mobile', $2
     FROM prospects WHERE skill_no = $1`,
      [skillNo, zone],
    );
    await refreshPlaces(db.pool);
  }

  /** An hour of samples, as a service that has been running would have stored, on this leg's backend. */
  async function seedHistory(deps: ReturnType<typeof testDeps>): Promise<void> {
    const side = openQueueSide(deps, { name: 'dashboard-browser-test' });
    const history = side.history({ everyMs: 10_000 });
    const now = Date.now();
    for (let i = 355; i >= 1; i--) {
      const t = now - i * 10_000;
      const k = (355 - i) / 355;
      await history.record(
        [
          {
            skillNo: 4100,
            name: '',
            depth: Math.round(180 - 150 * k),
            callableNow: Math.round(120 - 100 * k + 8 * Math.sin(i / 6)),
            lowWaterMark: 50,
            targetDepth: 200,
            refillEnabled: true,
          },
          {
            skillNo: 4200,
            name: '',
            depth: Math.round(34 + 6 * Math.sin(i / 20)),
            callableNow: Math.round(30 + 5 * Math.sin(i / 11)),
            lowWaterMark: 5,
            targetDepth: 40,
            refillEnabled: true,
          },
        ],
        new Date(t),
      );
    }
    await side.close();
  }

  beforeAll(async () => {
    db = await freshSchema('dashbrowser');
    deps = testDeps(db.pool, prefix, {}, backend);
    deps.config = { ...deps.config, apiKeys: `operator:${KEYS.operator},viewer:${KEYS.viewer}` };
    refill = new RefillQueue(deps.config);
    const withRefill = Object.assign(deps, { refillInFlight: (n: number) => refill.refillInFlight(n) });

    await putSkill(deps, 4100, {
      Name: 'Renewals East',
      Refill: { Enabled: true, SourceName: 'crm', LowWaterMark: 50, TargetDepth: 200, Connector: { Type: 'demo' } },
    });
    await putSkill(deps, 4200, {
      Name: 'Win-back West',
      Refill: { Enabled: true, SourceName: 'crm', LowWaterMark: 5, TargetDepth: 40, Connector: { Type: 'demo' } },
    });
    const zone = zoneInsideWindow(new Date());
    await seedProspects(4100, 30, zone);
    await seedProspects(4200, 34, zone);
    runId = await createRun(db.pool, { skillNo: 4100, sourceName: 'crm', sourceMapVersion: 1, origin: 'Refill' });
    await insertRunResults(db.pool, runId, [
      { seq: 0, resultCode: 'Created', resultMessage: null, externalId: 'A1', record: { id: 'A1', phone: '+12125550100' } },
      {
        seq: 1,
        resultCode: 'InvalidPhoneNumber',
        resultMessage: 'no valid phone number',
        externalId: 'A2',
        record: { id: 'A2', phone: '555-01' },
      },
      {
        seq: 2,
        resultCode: 'DoNotCall',
        resultMessage: 'every valid number is on a do-not-call list: +12125550199',
        externalId: 'A3',
        record: { id: 'A3', phone: '(212) 555-0199' },
      },
    ]);
    await finishRun(db.pool, runId, { recordCount: 3, counts: { Created: 1, InvalidPhoneNumber: 1, DoNotCall: 1 } });
    markupRunId = await createRun(db.pool, { skillNo: 4200, sourceName: 'crm', sourceMapVersion: 1, origin: 'Refill' });
    await insertRunResults(db.pool, markupRunId, [
      {
        seq: 0,
        resultCode: 'InvalidFieldValue',
        resultMessage: MARKUP.message,
        externalId: MARKUP.externalId,
        record: { id: MARKUP.externalId, note: '<script>window.__pwned=2</script>' },
      },
    ]);
    await finishRun(db.pool, markupRunId, { recordCount: 1, counts: { InvalidFieldValue: 1 } });
    await seedHistory(deps);

    app = buildServer(withRefill, { plugins: [refillRoutes(refill)] });
    baseUrl = await app.listen({ port: 0, host: '127.0.0.1' });

    userDataDir = await mkdtemp(path.join(tmpdir(), 'pf-chromium-'));
    context = await chromium.launchPersistentContext(userDataDir, {
      executablePath: '/usr/bin/chromium',
      args: ['--headless', '--no-sandbox', '--disable-gpu', '--disable-background-networking'],
      viewport: { width: 1440, height: 1000 },
    });
  }, 90_000);

  afterAll(async () => {
    await context?.close();
    if (userDataDir) await rm(userDataDir, { recursive: true, force: true });
    await app?.close();
    await refill?.close();
    await dropPrefix(prefix, backend);
    await db?.drop();
  });

  async function signIn(page: Page, key: string): Promise<void> {
    const first = await page.goto(`${baseUrl}/dashboard`);
    expect(first?.status()).toBe(401);
    await page.fill('input[name=key]', key);
    await Promise.all([page.waitForURL(`${baseUrl}/dashboard`), page.click('button[type=submit]')]);
    await page.waitForSelector('.card[data-skill="4100"] .stat.depth .v');
  }

  describe('the queue dashboard in a browser', () => {
    it('loads behind the key form, shows depth, history and failed records, and queues a refill', async () => {
      const page = await context.newPage();
      const errors: string[] = [];
      page.on('pageerror', (e) => errors.push(e.message));
      // The one expected failure is the 401 of the page before signing in.
      page.on('console', (m) => {
        if (m.type() === 'error' && !/status of 401/.test(m.text())) errors.push(m.text());
      });
      await signIn(page, KEYS.operator);

      const card = page.locator('.card[data-skill="4100"]');
      await expect.poll(() => card.locator('.stat.depth .v').textContent()).toBe('30');
      await expect.poll(() => card.locator('.stat.callable .v').textContent()).toBe('30');
      // 30 callable against a low water mark of 50: starving, said at a glance, with why.
      expect(await card.getAttribute('class')).toContain('starving');
      await expect.poll(() => card.locator('.why').textContent()).toContain('below the low water mark of 50');
      const healthy = page.locator('.card[data-skill="4200"]');
      expect(await healthy.getAttribute('class')).not.toContain('starving');
      expect(await healthy.locator('.pill.good').textContent()).toBe('Healthy');

      // History from before the page was opened: the chart's line has the stored hour of points.
      const d = await card.locator('path.callable-line').first().getAttribute('d');
      expect((d ?? '').split('L').length).toBeGreaterThan(300);
      expect(await page.locator('.tile.alert .v').textContent()).toBe('1');
      // Write-backs owed: none in this database, so the tile reads 0 and is not alarming.
      const owedTile = page.locator('.tile', { hasText: 'Write-backs owed' });
      await expect.poll(() => owedTile.locator('.v').textContent()).toBe('0');
      expect(await owedTile.getAttribute('class')).not.toContain('alert');
      // The stylesheet came through the CSP (nonce and SRI): the summary is laid out as a grid.
      expect(await page.evaluate('getComputedStyle(document.querySelector("#summary")).display')).toBe('grid');

      // A run's failed records, numbers masked.
      await card.locator(`.run[data-run="${runId}"]`).click();
      const drawer = page.locator('.drawer');
      await drawer.locator('table.failed tbody tr').first().waitFor();
      expect(await drawer.locator('table.failed tbody tr').count()).toBe(2);
      const drawerText = (await drawer.textContent()) ?? '';
      expect(drawerText).toContain('DoNotCall');
      expect(drawerText).toContain('+1******0199');
      expect(drawerText).toContain('******0199');
      expect(drawerText).not.toMatch(/2125550199|555-0199/);
      expect(await page.content()).not.toMatch(/2125550100|2125550199/);
      await page.screenshot({ path: '/tmp/dashboard-run.png' });
      await page.keyboard.press('Escape');
      await expect.poll(() => page.locator('.drawer').count()).toBe(0);

      await page.screenshot({ path: '/tmp/dashboard.png', fullPage: true });

      // Refill now: the route answers 202 and the job is in BullMQ.
      const [response] = await Promise.all([
        page.waitForResponse((r) => r.url().endsWith('/v1/skills/4100/refill') && r.request().method() === 'POST'),
        card.locator('button[data-refill="4100"]').click(),
      ]);
      expect(response.status()).toBe(202);
      const answer = (await response.json()) as { JobId: string; Deduplicated: boolean };
      const job = await refill.queue.getJob(answer.JobId);
      expect(job?.data).toMatchObject({ skillNo: 4100, origin: 'Manual' });
      await expect.poll(() => page.locator('.toast').first().textContent()).toContain('refill queued');
      // The next poll shows the refill in flight.
      await expect.poll(() => card.locator('.pill.info').count(), { timeout: 10_000 }).toBe(1);
      expect(errors).toEqual([]);

      // The job dashboard opens with the same cookie and lists the queued fetch job.
      await page.click('a[href="/admin/queues"]');
      await page.waitForURL(`${baseUrl}/admin/queues`);
      await page.getByText('fetch', { exact: true }).first().waitFor({ timeout: 15_000 });
      await page
        .getByText(/^\d+ Jobs?$/)
        .first()
        .waitFor({ timeout: 15_000 });
      await page.screenshot({ path: '/tmp/jobs.png' });
      await page.close();
    }, 60_000);

    it("shows a record's text holding markup as text, creating no element from it", async () => {
      const page = await context.newPage();
      const errors: string[] = [];
      page.on('pageerror', (e) => errors.push(e.message));
      await page.goto(`${baseUrl}/logout`);
      await signIn(page, KEYS.viewer);
      await page.locator(`.card[data-skill="4200"] .run[data-run="${markupRunId}"]`).click();
      const row = page.locator('.drawer table.failed tbody tr');
      await row.first().waitFor();
      expect(await row.count()).toBe(1);
      const cells = await row.locator('td').allTextContents();
      expect(cells.slice(1, 4)).toEqual([MARKUP.externalId, 'InvalidFieldValue', MARKUP.message]);
      expect(cells[4]).toContain('<script>window.__pwned=2</script>');
      expect(await row.locator('td.rec').getAttribute('title')).toContain('<script>');
      expect(await page.locator('.drawer img, .drawer b, .drawer script').count()).toBe(0);
      expect(await page.evaluate('window.__pwned')).toBeUndefined();
      expect(errors).toEqual([]);
      await page.close();
    }, 60_000);

    it('undoes a run from its drawer after a confirm step, showing the counts and the Undone state', async () => {
      const auth = { authorization: `Bearer ${KEYS.operator}` };
      const mapped = await app.inject({
        method: 'PUT',
        url: '/v1/source-maps/undo-src',
        headers: auth,
        payload: { Mapping: { ExternalID: 'id', PhoneNumber: 'phone' } },
      });
      expect(mapped.statusCode).toBe(200);
      const loaded = await app.inject({
        method: 'POST',
        url: '/v1/create-prospects',
        headers: auth,
        payload: {
          SkillNo: 4200,
          SourceName: 'undo-src',
          Data: [
            { id: 'U1', phone: '+12125550111' },
            { id: 'U2', phone: '+12125550112' },
          ],
        },
      });
      expect(loaded.statusCode).toBe(200);
      const loadedRun = Number(loaded.headers['x-run-id']);
      const page = await context.newPage();
      await page.goto(`${baseUrl}/logout`);
      await signIn(page, KEYS.operator);
      const card = page.locator('.card[data-skill="4200"]');
      await card.locator(`.run[data-run="${loadedRun}"]`).click();
      await page.locator(`button[data-undo="${loadedRun}"]`).click();
      // Nothing happens before the confirm step is answered.
      await page.locator(`button[data-undo-confirm="${loadedRun}"]`).waitFor();
      expect((await db.pool.query(`SELECT status FROM runs WHERE run_id = $1`, [loadedRun])).rows[0].status).toBe('Completed');
      const [response] = await Promise.all([
        page.waitForResponse((r) => r.url().endsWith(`/v1/runs/${loadedRun}/undo`) && r.request().method() === 'POST'),
        page.locator(`button[data-undo-confirm="${loadedRun}"]`).click(),
      ]);
      expect(response.status()).toBe(200);
      await expect.poll(() => page.locator('.toast', { hasText: `Run #${loadedRun} undone` }).count()).toBe(1);
      expect(await page.locator('.toast', { hasText: `Run #${loadedRun} undone` }).textContent()).toContain('Removed 2');
      const undone = page.locator(`[data-undone="${loadedRun}"]`);
      await undone.waitFor();
      expect(await undone.textContent()).toMatch(/^Undone .* by operator: Removed 2 · Restored 0 · ChangedSince 0$/);
      await page.keyboard.press('Escape');
      expect(await card.locator(`.run[data-run="${loadedRun}"] .when`).textContent()).toContain('Undone');
      expect((await db.pool.query(`SELECT count(*)::int AS n FROM prospects WHERE source_name = 'undo-src'`)).rows[0].n).toBe(0);
      await page.close();
    }, 60_000);

    it('shows a viewer the page without the power to refill, and signs out', async () => {
      const page = await context.newPage();
      await page.goto(`${baseUrl}/logout`);
      await signIn(page, KEYS.viewer);
      const button = page.locator('button[data-refill="4100"]');
      await expect.poll(() => button.isDisabled()).toBe(true);
      expect(await page.locator('#role').textContent()).toBe('viewer');
      await page.click('#signout');
      await page.waitForURL(`${baseUrl}/login`);
      const again = await page.goto(`${baseUrl}/dashboard`);
      expect(again?.status()).toBe(401);
      await page.close();
    }, 60_000);

    it("shows a skill's do-not-call lists and masked suppressed numbers, and checks a number", async () => {
      await putList(deps, 'internal', { Description: 'our own' });
      await putList(deps, 'everyone', { AllSkills: true });
      const actor = { role: null, source: 'Api' as const };
      await addEntries(
        deps,
        'internal',
        { Data: [{ PhoneNumber: '+12125550199', Reason: 'asked on a call', ExpiresAt: '2031-01-01T00:00:00Z' }] },
        actor,
      );
      await addEntries(deps, 'everyone', { Data: [{ Prefix: '+1646555' }, { PhoneNumber: '+13125550111' }] }, actor);
      await putSkill(deps, 4100, {
        Name: 'Renewals East',
        Refill: { Enabled: true, SourceName: 'crm', LowWaterMark: 50, TargetDepth: 200, Connector: { Type: 'demo' } },
        Compliance: { SuppressionLists: ['internal'] },
      });
      const dncRun = await createRun(db.pool, { skillNo: 4100, sourceName: 'crm', sourceMapVersion: 1, origin: 'Api' });
      await insertRunResults(db.pool, dncRun, [
        { seq: 0, resultCode: 'DoNotCall', resultMessage: null, externalId: 'D1', record: { phone: '+12125550199' } },
        { seq: 1, resultCode: 'Created', resultMessage: null, externalId: 'D2', record: { phone: '+16465550101' } },
      ]);
      await insertRunSuppressed(db.pool, dncRun, [
        { index: 0, position: 0, masked: '+1******0199', listName: 'internal', byPrefix: false, refused: true },
        { index: 1, position: 0, masked: '+1******0101', listName: 'everyone', byPrefix: true, refused: false },
      ]);
      await finishRun(db.pool, dncRun, { recordCount: 2, counts: { DoNotCall: 1, Created: 1 } });

      const page = await context.newPage();
      const errors: string[] = [];
      page.on('pageerror', (e) => errors.push(e.message));
      await page.goto(`${baseUrl}/logout`);
      await signIn(page, KEYS.operator);
      const panel = page.locator('#dnc');
      await panel.locator('select[name=dnc-skill]').selectOption('4100');
      const lists = panel.locator('[data-dnc=lists]');
      await expect.poll(() => lists.locator('tr[data-list=internal] td').allTextContents()).toEqual(['internal', '1', 'this skill']);
      expect(await lists.locator('tr[data-list=everyone] td').allTextContents()).toEqual(['everyone', '2', 'all skills']);
      expect(await lists.locator('tr[data-list=Revocations] td').allTextContents()).toEqual(['Revocations', '0', 'all skills']);
      const run = panel.locator(`[data-dnc=runs] tr[data-run="${dncRun}"] td`);
      await expect
        .poll(() => run.allTextContents())
        .toEqual([expect.stringContaining(`#${dncRun}`), '2', '1', '1', '+1******0199 (internal), +1******0101 (everyone, by prefix)']);
      // Before anyone asks, no number is on the page whole.
      expect(await page.content()).not.toMatch(/5550199|5550101|555-0199/);

      const ask = async (typed: string) => {
        await panel.locator('input[name=dnc-number]').fill(typed);
        await Promise.all([
          page.waitForResponse((r) => r.url().includes('/v1/suppression?')),
          panel.locator('form.dnc-search button').click(),
        ]);
        await panel.locator('.dnc-answer [data-suppressed]').waitFor();
        return panel.locator('.dnc-answer');
      };
      let answer = await ask('(212) 555-0199');
      expect(await answer.locator('[data-suppressed]').getAttribute('data-suppressed')).toBe('true');
      const cells = await answer.locator('tbody tr td').allTextContents();
      expect(cells.slice(0, 2)).toEqual(['internal', 'number (212) 555-0199']);
      expect(cells[3]).toContain('2031');
      expect(cells[4]).toBe('asked on a call');
      answer = await ask('646 555 0142');
      expect(await answer.locator('tbody tr td').allTextContents()).toEqual([
        'everyone',
        'prefix +1646555',
        expect.any(String),
        'never',
        '–',
      ]);
      // On a list this skill does not apply (internal is not everyone's), and on none: not suppressed.
      answer = await ask('+1 212 555 0142');
      expect(await answer.textContent()).toBe('+1 212 555 0142 is not suppressed for skill 4100');
      expect(await answer.locator('[data-suppressed]').getAttribute('data-suppressed')).toBe('false');
      await page.screenshot({ path: '/tmp/dashboard-dnc.png', fullPage: true });
      expect(errors).toEqual([]);
      await page.close();
    }, 60_000);
  });
});
