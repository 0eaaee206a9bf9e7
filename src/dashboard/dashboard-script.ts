/**
 * The queue dashboard's browser code, inlined into the page. Plain ES2020 with no template
 * literals (it lives inside one), no library, no network but the service's own JSON routes:
 * GET /v1/skills, /v1/skills/{n}/dial-queue, /v1/runs?SkillNo=n, POST /v1/skills/{n}/refill, and
 * the dashboard's own /dashboard/api/history, /session and /runs/{id}/failed (masked server-side).
 */
export const DASHBOARD_SCRIPT = String.raw`
(function () {
  'use strict';
  var POLL_MS = 4000;
  var HISTORY_EVERY_MS = 30000;
  var WINDOW_MS = 3600000;
  var SUCCESS = { Created: 1, Updated: 1, Removed: 1 };

  var state = {
    session: null, skills: [], queues: {}, runs: {}, history: {}, historyAt: 0, intervalMs: 10000,
    pending: {}, lastOk: 0, error: null, loaded: false, drawer: null, owed: null
  };

  var $ = function (sel) { return document.querySelector(sel); };
  function esc(v) {
    return String(v == null ? '' : v).replace(/[&<>"']/g, function (c) { return '&#' + c.charCodeAt(0) + ';'; });
  }
  function fmt(n) { return n == null || isNaN(n) ? '–' : Number(n).toLocaleString('en-US'); }
  function ago(ts) {
    if (!ts) return 'never';
    var s = Math.max(0, Math.round((Date.now() - new Date(ts).getTime()) / 1000));
    if (s < 60) return s + 's ago';
    if (s < 3600) return Math.floor(s / 60) + 'm ago';
    if (s < 86400) return Math.floor(s / 3600) + 'h ' + Math.floor((s % 3600) / 60) + 'm ago';
    return Math.floor(s / 86400) + 'd ago';
  }
  function pick(o) {
    for (var i = 1; i < arguments.length; i++) { if (o && o[arguments[i]] !== undefined) return o[arguments[i]]; }
    return undefined;
  }

  function api(path, init) {
    var opts = Object.assign({ credentials: 'same-origin' }, init || {});
    opts.headers = Object.assign({ accept: 'application/json' }, (init && init.headers) || {});
    return fetch(path, opts).then(function (res) {
      if (res.status === 401) {
        location.href = '/login?next=' + encodeURIComponent(location.pathname);
        throw new Error('signed out');
      }
      return res.text().then(function (text) {
        var body = null;
        try { body = text ? JSON.parse(text) : null; } catch (e) { body = null; }
        if (!res.ok) {
          var err = new Error((body && body.error && body.error.message) || (res.status + ' ' + res.statusText));
          err.status = res.status;
          throw err;
        }
        return body;
      });
    });
  }

  function normalizeRun(r) {
    return {
      RunId: pick(r, 'RunId', 'runId'),
      Status: pick(r, 'Status', 'status') || 'Completed',
      Origin: pick(r, 'Origin', 'origin') || '',
      RecordCount: pick(r, 'RecordCount', 'recordCount') || 0,
      Counts: pick(r, 'Counts', 'counts') || {},
      Error: pick(r, 'Error', 'error') || null,
      StartedAt: pick(r, 'StartedAt', 'startedAt'),
      FinishedAt: pick(r, 'FinishedAt', 'finishedAt'),
      SourceName: pick(r, 'SourceName', 'sourceName') || ''
    };
  }
  function runsOf(body) {
    var list = Array.isArray(body) ? body : (body && (body.Runs || body.runs)) || [];
    return list.map(normalizeRun).sort(function (a, b) { return b.RunId - a.RunId; });
  }
  function failuresOf(run) {
    var n = 0;
    Object.keys(run.Counts).forEach(function (k) { if (!SUCCESS[k]) n += run.Counts[k]; });
    return n;
  }

  function keep(samples) {
    var from = Date.now() - WINDOW_MS;
    return samples.filter(function (s) { return s.t >= from; });
  }
  function appendLive(skillNo, q) {
    if (!q || q.Depth == null) return;
    var list = state.history[skillNo] || [];
    list.push({ t: Date.now(), depth: q.Depth, callable: q.CallableNow, low: q.LowWaterMark, target: q.TargetDepth });
    state.history[skillNo] = keep(list);
  }

  async function loadHistory() {
    var h = await api('/dashboard/api/history?minutes=60');
    state.intervalMs = (h.IntervalSeconds || 10) * 1000;
    var fresh = {};
    Object.keys(h.Skills || {}).forEach(function (k) {
      var stored = h.Skills[k];
      var last = stored.length ? stored[stored.length - 1].t : 0;
      var live = (state.history[k] || []).filter(function (s) { return s.t > last; });
      fresh[k] = keep(stored.concat(live));
    });
    Object.keys(state.history).forEach(function (k) { if (!fresh[k]) fresh[k] = state.history[k]; });
    state.history = fresh;
    state.historyAt = Date.now();
  }

  async function poll() {
    try {
      if (!state.session) state.session = await api('/dashboard/api/session');
      var body = await api('/v1/skills');
      var skills = (Array.isArray(body) ? body : (body && (body.Skills || body.skills)) || []).slice();
      skills.sort(function (a, b) { return a.SkillNo - b.SkillNo; });
      state.skills = skills;
      await Promise.all(skills.map(async function (s) {
        var both = await Promise.all([
          api('/v1/skills/' + s.SkillNo + '/dial-queue').catch(function (e) { return { __error: e.message }; }),
          api('/v1/runs?SkillNo=' + s.SkillNo).catch(function (e) { return { __error: e.message }; })
        ]);
        state.queues[s.SkillNo] = both[0];
        if (!both[1].__error) state.runs[s.SkillNo] = runsOf(both[1]);
        if (!both[0].__error) appendLive(s.SkillNo, both[0]);
      }));
      state.owed = await api('/dashboard/api/owed').catch(function () { return null; });
      if (!state.loaded || Date.now() - state.historyAt > HISTORY_EVERY_MS) await loadHistory();
      state.error = null;
      state.lastOk = Date.now();
    } catch (e) {
      if (e.message !== 'signed out') state.error = e.message;
    }
    state.loaded = true;
    render();
    setTimeout(poll, POLL_MS);
  }

  function diagnose(skill, q, runs) {
    var refill = skill.Refill || null;
    var low = q && q.LowWaterMark != null ? q.LowWaterMark : refill ? refill.LowWaterMark : null;
    var starving = !!q && !q.__error && low != null && q.CallableNow < low;
    var reasons = [];
    if (!refill) reasons.push('No Refill settings: only create-prospects calls feed this skill');
    else {
      if (!refill.Enabled) reasons.push('Refill is disabled for this skill');
      if (!refill.Connector) reasons.push('No connector configured (Refill.Connector)');
    }
    if (q && q.RefillInFlight) reasons.push('A refill is in flight');
    else if (q && q.RefillInFlight === null) reasons.push('Whether a refill is in flight is unknown (the job queue did not answer)');
    var last = runs && runs[0];
    if (last && last.Status === 'Failed') reasons.push('Last run #' + last.RunId + ' failed' + (last.Error ? ': ' + last.Error : ''));
    else if (last && last.RecordCount === 0) reasons.push('Last run #' + last.RunId + ' found nothing new in the CRM');
    else if (last && last.RecordCount > 0 && failuresOf(last) === last.RecordCount) {
      reasons.push('Last run #' + last.RunId + ' rejected all ' + fmt(last.RecordCount) + ' records');
    }
    if (starving && q.Depth > q.CallableNow) {
      var idle = q.Depth - q.CallableNow;
      var parts = [];
      if (q.Resting) parts.push(fmt(q.Resting) + ' resting between attempts');
      if (q.Claimed) parts.push(fmt(q.Claimed) + ' claimed by dialers');
      var rest = idle - (q.Resting || 0) - (q.Claimed || 0);
      if (rest > 0) parts.push(fmt(rest) + ' outside the calling window now');
      reasons.push(fmt(idle) + ' of ' + fmt(q.Depth) + ' queued prospects are not callable now' + (parts.length ? ': ' + parts.join(', ') : ''));
      if (Array.isArray(q.OpenTimeZones) && q.OpenTimeZones.length === 0 && q.Depth > 0) {
        reasons.push('No time zone of this skill\'s prospects is inside its calling window right now');
      }
    }
    if (starving && q.Depth === 0 && !(q.RefillInFlight)) reasons.push('The dialing queue is empty');
    if (starving && reasons.length === 0) {
      reasons.push('No refill in flight yet: the brain queues one at its next check (every ' +
        ((refill && refill.CheckIntervalSeconds) || 5) + ' s); if this lasts, check that a brain process is running');
    }
    return { starving: starving, low: low, reasons: reasons };
  }

  function chartSvg(skillNo, q, width) {
    var samples = state.history[skillNo] || [];
    var H = 180, padL = 44, padR = 64, padT = 12, padB = 22;
    var W = Math.max(320, width);
    var now = Date.now(), from = now - WINDOW_MS;
    var low = q && q.LowWaterMark != null ? q.LowWaterMark : null;
    var target = q && q.TargetDepth != null ? q.TargetDepth : null;
    var max = Math.max(10, target || 0, low || 0);
    samples.forEach(function (s) { max = Math.max(max, s.depth || 0, s.callable || 0); });
    var step = niceStep(max / 4);
    var top = Math.ceil((max * 1.08) / step) * step;
    var x = function (t) { return padL + ((t - from) / WINDOW_MS) * (W - padL - padR); };
    var y = function (v) { return padT + (1 - v / top) * (H - padT - padB); };
    var out = [];
    out.push('<svg viewBox="0 0 ' + W + ' ' + H + '" preserveAspectRatio="none" data-skill="' + skillNo + '" data-w="' + W + '" role="img" aria-label="Depth and CallableNow over the last hour">');
    for (var v = 0; v <= top; v += step) {
      out.push('<line class="gridline" x1="' + padL + '" x2="' + (W - padR) + '" y1="' + y(v) + '" y2="' + y(v) + '"/>');
      out.push('<text class="axis" x="' + (padL - 6) + '" y="' + (y(v) + 3) + '" text-anchor="end">' + fmtShort(v) + '</text>');
    }
    for (var m = 60; m >= 0; m -= 15) {
      var tx = x(now - m * 60000);
      out.push('<text class="axis" x="' + tx + '" y="' + (H - 6) + '" text-anchor="middle">' + (m === 0 ? 'now' : '-' + m + 'm') + '</text>');
    }
    if (low != null) {
      out.push('<rect class="below-low" x="' + padL + '" y="' + y(low) + '" width="' + (W - padL - padR) + '" height="' + (y(0) - y(low)) + '"/>');
    }
    var segments = splitOnGaps(samples);
    segments.forEach(function (seg) {
      if (seg.length < 1) return;
      var area = 'M' + x(seg[0].t) + ',' + y(0);
      seg.forEach(function (s) { area += 'L' + x(s.t) + ',' + y(s.depth); });
      area += 'L' + x(seg[seg.length - 1].t) + ',' + y(0) + 'Z';
      out.push('<path class="depth-area" d="' + area + '"/>');
      out.push('<path class="depth-line" d="' + line(seg, x, y, 'depth') + '"/>');
      out.push('<path class="callable-line" d="' + line(seg, x, y, 'callable') + '"/>');
    });
    if (target != null) out.push(threshold(y(target), padL, W - padR, 'target', 'Target ' + fmtShort(target)));
    if (low != null) out.push(threshold(y(low), padL, W - padR, 'low', 'Low ' + fmtShort(low)));
    var last = samples[samples.length - 1];
    if (last) {
      var starving = low != null && last.callable < low;
      out.push('<circle class="now-dot' + (starving ? ' starving' : '') + '" cx="' + x(last.t) + '" cy="' + y(last.callable) + '" r="3.5"/>');
    }
    out.push('</svg>');
    if (!samples.length) out.push('<div class="empty">No samples yet: the history fills in every ' + Math.round(state.intervalMs / 1000) + ' s</div>');
    return out.join('');
  }
  function threshold(yy, x1, x2, kind, label) {
    return '<line class="thr ' + kind + '" x1="' + x1 + '" x2="' + x2 + '" y1="' + yy + '" y2="' + yy + '"/>' +
      '<text class="thr-label ' + kind + '" x="' + (x2 + 6) + '" y="' + (yy + 3) + '">' + esc(label) + '</text>';
  }
  function line(seg, x, y, key) {
    return seg.map(function (s, i) { return (i ? 'L' : 'M') + x(s.t).toFixed(1) + ',' + y(s[key] || 0).toFixed(1); }).join('');
  }
  function splitOnGaps(samples) {
    var out = [], cur = [], gap = Math.max(state.intervalMs * 3, POLL_MS * 3);
    samples.forEach(function (s) {
      if (cur.length && s.t - cur[cur.length - 1].t > gap) { out.push(cur); cur = []; }
      cur.push(s);
    });
    if (cur.length) out.push(cur);
    return out;
  }
  function niceStep(raw) {
    var p = Math.pow(10, Math.floor(Math.log10(Math.max(raw, 1))));
    var n = raw / p;
    return (n <= 1 ? 1 : n <= 2 ? 2 : n <= 2.5 ? 2.5 : n <= 5 ? 5 : 10) * p;
  }
  function fmtShort(v) {
    if (v >= 1e6) return (v / 1e6).toFixed(v % 1e6 ? 1 : 0) + 'M';
    if (v >= 1e4) return (v / 1e3).toFixed(v % 1e3 ? 1 : 0) + 'k';
    return fmt(v);
  }

  function codeChips(counts) {
    var keys = Object.keys(counts || {}).filter(function (k) { return counts[k] > 0; });
    keys.sort(function (a, b) { return (SUCCESS[b] ? 1 : 0) - (SUCCESS[a] ? 1 : 0) || counts[b] - counts[a]; });
    if (!keys.length) return '<span class="code">no records</span>';
    return keys.map(function (k) {
      return '<span class="code ' + (SUCCESS[k] ? 'ok' : 'fail') + '">' + esc(k) + ' ' + fmt(counts[k]) + '</span>';
    }).join('');
  }

  function card(skill) {
    var n = skill.SkillNo;
    var q = state.queues[n] || null;
    var runs = state.runs[n] || [];
    var d = diagnose(skill, q, runs);
    var canRefill = state.session && (state.session.Role === 'operator' || state.session.Role === 'open');
    var pending = state.pending[n];
    var pills = [];
    if (q && q.__error) pills.push('<span class="pill muted">queue unavailable</span>');
    else if (d.starving) pills.push('<span class="pill bad">Starving</span>');
    else if (d.low == null) pills.push('<span class="pill muted">No thresholds</span>');
    else pills.push('<span class="pill good">Healthy</span>');
    if (q && q.RefillInFlight) pills.push('<span class="pill info">Refilling</span>');
    if (skill.Refill && !skill.Refill.Enabled) pills.push('<span class="pill muted">Refill off</span>');
    var title = canRefill ? 'Queue a refill of this skill now' : 'Only operator keys may start a refill';
    var h = [];
    h.push('<article class="card' + (d.starving ? ' starving' : '') + '" data-skill="' + n + '">');
    h.push('<div class="card-head"><h2><span class="no">' + esc(n) + '</span>' + esc(skill.Name) + '</h2>' + pills.join('') +
      '<span class="spacer"></span><button class="btn" data-refill="' + n + '" title="' + esc(title) + '"' +
      (!canRefill || pending ? ' disabled' : '') + '>' + (pending ? 'Queuing…' : 'Refill now') + '</button></div>');
    var low = q && !q.__error && d.low != null && q.CallableNow < d.low;
    h.push('<div class="stats">' +
      stat('callable' + (low ? ' low' : ''), 'callable', 'Callable now', q && q.CallableNow) +
      stat('depth', 'depth', 'Depth', q && q.Depth) +
      stat('', 'low', 'Low water mark', q ? q.LowWaterMark : null) +
      stat('', 'target', 'Target depth', q ? q.TargetDepth : null) + '</div>');
    h.push('<div class="chart" data-chart="' + n + '"></div>');
    if (d.starving) {
      h.push('<div class="why"><div class="title">Starving: ' + fmt(q.CallableNow) + ' callable, below the low water mark of ' +
        fmt(d.low) + '</div><ul>' + d.reasons.map(function (r) { return '<li>' + esc(r) + '</li>'; }).join('') + '</ul></div>');
    } else if (d.reasons.length && (!skill.Refill || !skill.Refill.Enabled || !skill.Refill.Connector)) {
      h.push('<div class="note">' + esc(d.reasons[0]) + '</div>');
    }
    h.push('<div class="runs"><div class="runs-head"><span>Recent runs</span><span>click a run for its failed records</span></div>');
    if (!runs.length) h.push('<div class="none">No runs yet</div>');
    runs.slice(0, 5).forEach(function (r) {
      h.push('<div class="run" data-run="' + esc(r.RunId) + '" data-skill="' + n + '" title="Show the failed records of run ' + esc(r.RunId) + '">' +
        '<span class="sdot ' + esc(r.Status) + '"></span><span class="id">#' + esc(r.RunId) + '</span>' +
        '<span class="when">' + esc(ago(r.StartedAt)) + ' · ' + esc(r.Origin) + '</span>' +
        '<span class="counts">' + codeChips(r.Counts) + '</span><span class="go">' + fmt(r.RecordCount) + ' rec ›</span></div>');
    });
    h.push('</div>');
    h.push('<div class="card-foot"><span>Last refill ' + esc(q && !q.__error ? ago(q.LastRefillAt) : '–') + '</span>' +
      (skill.Refill ? '<span>Source ' + esc(skill.Refill.SourceName) + '</span><span>Connector ' +
        esc(skill.Refill.Connector ? skill.Refill.Connector.Type : 'none') + '</span>' : '') + '</div>');
    h.push('</article>');
    return h.join('');
  }
  function stat(cls, swatch, label, value) {
    return '<div class="stat ' + cls + '"><div class="k"><span class="swatch ' + swatch + '"></span>' + esc(label) + '</div>' +
      '<div class="v">' + fmt(value) + '</div></div>';
  }

  function render() {
    var skills = state.skills;
    var starving = 0, inFlight = 0, callable = 0;
    skills.forEach(function (s) {
      var q = state.queues[s.SkillNo];
      if (!q || q.__error) return;
      if (diagnose(s, q, state.runs[s.SkillNo]).starving) starving++;
      if (q.RefillInFlight) inFlight++;
      callable += q.CallableNow || 0;
    });
    $('#summary').innerHTML =
      tile('Skills', fmt(skills.length)) + tile('Starving', fmt(starving), starving > 0) +
      tile('Callable now (all skills)', fmt(callable)) + tile('Refills in flight', fmt(inFlight)) + owedTile(state.owed);
    var banner = $('#banner');
    banner.hidden = !state.error;
    banner.textContent = state.error ? 'Cannot reach the service: ' + state.error + ' (retrying)' : '';
    var role = state.session ? state.session.Role : '';
    $('#role').textContent = role === 'open' ? 'open access' : role;
    $('#role').hidden = !role;
    $('#signout').hidden = !state.session || state.session.Role === 'open';
    var dot = $('#live-dot');
    dot.className = 'dot' + (state.error ? ' stale' : '');
    $('#updated').textContent = state.lastOk ? 'Updated ' + new Date(state.lastOk).toLocaleTimeString() : 'Loading…';

    var grid = $('#grid');
    if (!skills.length) {
      grid.className = '';
      grid.innerHTML = state.loaded ? '<div class="empty-state"><h3>No skills yet</h3><p>Create one with <code>PUT /v1/skills/{SkillNo}</code>; it shows up here within seconds.</p></div>' : '';
    } else {
      grid.className = 'grid';
      grid.innerHTML = skills.map(card).join('');
      grid.querySelectorAll('[data-chart]').forEach(function (el) {
        var n = el.getAttribute('data-chart');
        el.innerHTML = chartSvg(n, state.queues[n], el.clientWidth - 16);
      });
    }
    renderDrawer();
  }
  // Write-backs the CRM is still owed; alarming once the oldest has waited over 10 minutes.
  function owedTile(owed) {
    if (!owed) return tile('Write-backs owed', '–');
    var age = owed.WriteBacksOwed > 0 ? ' <small>oldest stored ' + esc(ago(Date.now() - owed.OldestOwedSeconds * 1000)) + '</small>' : '';
    return tile('Write-backs owed', fmt(owed.WriteBacksOwed) + age, owed.OldestOwedSeconds > 600);
  }
  function tile(k, v, alert) {
    return '<div class="tile' + (alert ? ' alert' : '') + '"><div class="k">' + esc(k) + '</div><div class="v">' + v + '</div></div>';
  }

  function toast(text, bad) {
    var el = document.createElement('div');
    el.className = 'toast' + (bad ? ' bad' : '');
    el.setAttribute('role', 'status');
    el.textContent = text;
    $('#toasts').appendChild(el);
    setTimeout(function () { el.remove(); }, 5000);
  }

  async function refill(n) {
    state.pending[n] = true;
    render();
    try {
      var res = await api('/v1/skills/' + n + '/refill', {
        method: 'POST', headers: { 'content-type': 'application/json' }, body: '{}'
      });
      toast(res && res.Deduplicated ? 'Skill ' + n + ': a refill was already queued (job ' + res.JobId + ')' : 'Skill ' + n + ': refill queued (job ' + (res && res.JobId) + ')');
    } catch (e) {
      if (e.message !== 'signed out') toast('Skill ' + n + ': refill refused: ' + e.message, true);
    }
    delete state.pending[n];
    render();
  }

  async function openRun(runId, skillNo) {
    var run = (state.runs[skillNo] || []).filter(function (r) { return String(r.RunId) === String(runId); })[0] || { RunId: runId, Counts: {} };
    state.drawer = { run: run, skillNo: skillNo, loading: true, records: [], total: 0, filter: null, error: null };
    renderDrawer();
    try {
      var body = await api('/dashboard/api/runs/' + encodeURIComponent(runId) + '/failed?Limit=500');
      if (!state.drawer || String(state.drawer.run.RunId) !== String(runId)) return;
      state.drawer.records = body.FailedRecords || [];
      state.drawer.total = body.Total != null ? body.Total : state.drawer.records.length;
    } catch (e) {
      if (state.drawer) state.drawer.error = e.message;
    }
    if (state.drawer) state.drawer.loading = false;
    renderDrawer();
  }

  function renderDrawer() {
    var root = $('#drawer');
    var d = state.drawer;
    if (!d) { root.innerHTML = ''; return; }
    var r = d.run;
    var failedCodes = Object.keys(r.Counts || {}).filter(function (k) { return !SUCCESS[k] && r.Counts[k] > 0; });
    var rows = d.records.filter(function (x) { return !d.filter || x.ResultCode === d.filter; });
    var h = [];
    h.push('<div class="overlay" data-close="1"><section class="drawer" role="dialog" aria-modal="true" aria-label="Failed records of run ' + esc(r.RunId) + '">');
    h.push('<header><div><h3>Run #' + esc(r.RunId) + ' · failed records</h3><div class="meta">Skill ' + esc(d.skillNo) +
      (r.SourceName ? ' · source ' + esc(r.SourceName) : '') + (r.Origin ? ' · ' + esc(r.Origin) : '') +
      (r.StartedAt ? ' · started ' + esc(new Date(r.StartedAt).toLocaleString()) : '') + ' · ' + fmt(r.RecordCount) + ' records' +
      (r.Status === 'Failed' && r.Error ? ' · failed: ' + esc(r.Error) : '') + '</div></div>' +
      '<span class="spacer"></span><button class="btn ghost" data-close="1" aria-label="Close">Close</button></header>');
    h.push('<div class="filters"><span class="chip' + (!d.filter ? ' on' : '') + '" data-filter="">All failures ' + fmt(d.total) + '</span>' +
      failedCodes.map(function (k) {
        return '<span class="chip' + (d.filter === k ? ' on' : '') + '" data-filter="' + esc(k) + '">' + esc(k) + ' ' + fmt(r.Counts[k]) + '</span>';
      }).join('') + '</div>');
    h.push('<div class="body">');
    if (d.loading) h.push('<div class="msg">Loading…</div>');
    else if (d.error) h.push('<div class="msg">Could not load the records: ' + esc(d.error) + '</div>');
    else if (!rows.length) h.push('<div class="msg">No failed records in this run.</div>');
    else {
      h.push('<table class="failed"><thead><tr><th>#</th><th>ExternalID</th><th>ResultCode</th><th>ResultMessage</th><th>Record (phone numbers masked)</th></tr></thead><tbody>');
      rows.forEach(function (x) {
        var rec = JSON.stringify(x.Record);
        h.push('<tr><td>' + esc(x.Seq + 1) + '</td><td>' + esc(x.ExternalID == null ? '–' : x.ExternalID) + '</td>' +
          '<td><span class="code fail">' + esc(x.ResultCode) + '</span></td><td>' + esc(x.ResultMessage || '') + '</td>' +
          '<td class="rec" title="' + esc(rec) + '">' + esc(rec && rec.length > 220 ? rec.slice(0, 220) + '…' : rec) + '</td></tr>');
      });
      h.push('</tbody></table>');
    }
    h.push('</div><div class="foot">' + (d.records.length < d.total ? 'Showing the first ' + fmt(d.records.length) + ' of ' + fmt(d.total) + ' failed records. ' : '') +
      'Phone numbers are masked to their last four digits.</div></section></div>');
    root.innerHTML = h.join('');
  }

  document.addEventListener('click', function (ev) {
    var t = ev.target;
    var refillBtn = t.closest('[data-refill]');
    if (refillBtn && !refillBtn.disabled) { refill(refillBtn.getAttribute('data-refill')); return; }
    var runRow = t.closest('[data-run]');
    if (runRow) { openRun(runRow.getAttribute('data-run'), runRow.getAttribute('data-skill')); return; }
    var chip = t.closest('[data-filter]');
    if (chip && state.drawer) { state.drawer.filter = chip.getAttribute('data-filter') || null; renderDrawer(); return; }
    if (t.closest('.drawer') && !t.closest('button[data-close]')) return;
    if (t.closest('[data-close]')) { state.drawer = null; renderDrawer(); }
  });
  document.addEventListener('keydown', function (ev) {
    if (ev.key === 'Escape' && state.drawer) { state.drawer = null; renderDrawer(); }
  });

  var tip = null;
  document.addEventListener('mousemove', function (ev) {
    tip = tip || $('#tooltip');
    var svg = ev.target.closest && ev.target.closest('svg[data-skill]');
    if (!svg) { tip.style.display = 'none'; return; }
    var n = svg.getAttribute('data-skill');
    var samples = state.history[n] || [];
    if (!samples.length) { tip.style.display = 'none'; return; }
    var box = svg.getBoundingClientRect();
    var W = Number(svg.getAttribute('data-w'));
    var px = ((ev.clientX - box.left) / box.width) * W;
    var t = Date.now() - WINDOW_MS + ((px - 44) / (W - 44 - 64)) * WINDOW_MS;
    var best = samples[0];
    samples.forEach(function (s) { if (Math.abs(s.t - t) < Math.abs(best.t - t)) best = s; });
    tip.innerHTML = '<b>' + esc(new Date(best.t).toLocaleTimeString()) + '</b><br>Callable now ' + fmt(best.callable) +
      '<br>Depth ' + fmt(best.depth) + (best.low != null ? '<br>Low ' + fmt(best.low) + ' · Target ' + fmt(best.target) : '');
    tip.style.display = 'block';
    tip.style.left = Math.min(window.innerWidth - 180, ev.clientX + 14) + 'px';
    tip.style.top = (ev.clientY + 14) + 'px';
  });
  var resizeTimer = null;
  window.addEventListener('resize', function () { clearTimeout(resizeTimer); resizeTimer = setTimeout(render, 150); });
  setInterval(function () { if (state.loaded) $('#updated').textContent = state.lastOk ? 'Updated ' + ago(state.lastOk) : 'Loading…'; }, 1000);

  poll();
})();
`;
