/** The queue dashboard's stylesheet, inlined into the page (no network, no build step). */
export const DASHBOARD_STYLE = String.raw`
:root {
  color-scheme: light;
  --bg: #f4f6fa; --card: #ffffff; --ink: #0f172a; --ink-2: #334155; --muted: #64748b; --faint: #94a3b8;
  --line: #e2e8f0; --line-2: #eef2f7;
  --accent: #4f46e5; --accent-soft: #eef2ff;
  --good: #15803d; --good-soft: #dcfce7; --bad: #dc2626; --bad-soft: #fef2f2; --bad-line: #fecaca;
  --warn: #b45309; --warn-soft: #fef3c7; --info: #0369a1; --info-soft: #e0f2fe;
  --depth: #94a3b8; --depth-fill: rgba(148, 163, 184, .16);
  --radius: 12px;
  --mono: ui-monospace, SFMono-Regular, Menlo, Consolas, monospace;
}
* { box-sizing: border-box; }
html, body { margin: 0; }
body { background: var(--bg); color: var(--ink); font: 14px/1.45 system-ui, -apple-system, "Segoe UI", Roboto, sans-serif; }
a { color: var(--accent); text-decoration: none; }
a:hover { text-decoration: underline; }
button { font: inherit; }

header.top { position: sticky; top: 0; z-index: 5; display: flex; align-items: center; gap: 16px; padding: 12px 24px;
  background: rgba(255,255,255,.92); backdrop-filter: blur(6px); border-bottom: 1px solid var(--line); }
.brand { display: flex; align-items: center; gap: 10px; font-weight: 700; font-size: 16px; }
.brand .logo { width: 26px; height: 26px; border-radius: 7px; background: linear-gradient(135deg, #6366f1, #0ea5e9);
  display: grid; place-items: center; color: #fff; font-size: 14px; }
.brand small { font-weight: 500; color: var(--muted); }
.top .spacer { flex: 1; }
.live { display: flex; align-items: center; gap: 8px; color: var(--muted); font-size: 13px; }
.dot { width: 8px; height: 8px; border-radius: 50%; background: var(--good); box-shadow: 0 0 0 3px var(--good-soft); }
.dot.stale { background: var(--bad); box-shadow: 0 0 0 3px var(--bad-soft); }
.top nav { display: flex; gap: 14px; font-size: 13px; }
.role { font-size: 12px; padding: 2px 8px; border-radius: 999px; background: var(--line-2); color: var(--ink-2); }

main { padding: 20px 24px 48px; max-width: 1600px; margin: 0 auto; }
.banner { margin-bottom: 16px; padding: 10px 14px; border-radius: 10px; background: var(--bad-soft); color: var(--bad);
  border: 1px solid var(--bad-line); }

.summary { display: grid; grid-template-columns: repeat(4, minmax(0, 1fr)); gap: 12px; margin-bottom: 20px; }
.tile { background: var(--card); border: 1px solid var(--line); border-radius: var(--radius); padding: 14px 16px; }
.tile .k { color: var(--muted); font-size: 12px; text-transform: uppercase; letter-spacing: .04em; }
.tile .v { font-size: 26px; font-weight: 700; margin-top: 2px; font-variant-numeric: tabular-nums; }
.tile.alert { border-color: var(--bad-line); background: var(--bad-soft); }
.tile.alert .v { color: var(--bad); }

.grid { display: grid; grid-template-columns: repeat(auto-fill, minmax(540px, 1fr)); gap: 16px; }
.card { background: var(--card); border: 1px solid var(--line); border-radius: var(--radius); overflow: hidden;
  box-shadow: 0 1px 2px rgba(15,23,42,.04); display: flex; flex-direction: column; }
.card .runs { flex: 1; }
.card.starving { border-color: #f87171; box-shadow: 0 0 0 3px var(--bad-soft); }
.card-head { display: flex; align-items: center; gap: 10px; padding: 14px 16px 10px; }
.card.starving .card-head { background: linear-gradient(180deg, var(--bad-soft), rgba(254,242,242,0)); }
.card-head h2 { margin: 0; font-size: 16px; }
.card-head .no { color: var(--muted); font-weight: 600; margin-right: 6px; font-variant-numeric: tabular-nums; }
.card-head .spacer { flex: 1; }
.pill { font-size: 12px; font-weight: 600; padding: 2px 9px; border-radius: 999px; white-space: nowrap; }
.pill.good { background: var(--good-soft); color: var(--good); }
.pill.bad { background: var(--bad); color: #fff; }
.pill.muted { background: var(--line-2); color: var(--muted); }
.pill.info { background: var(--info-soft); color: var(--info); }
.pill.info::before { content: ""; display: inline-block; width: 7px; height: 7px; margin-right: 5px; border-radius: 50%;
  background: var(--info); animation: pulse 1.2s infinite ease-in-out; vertical-align: 1px; }
@keyframes pulse { 50% { opacity: .25; } }

.btn { border: 1px solid var(--accent); background: var(--accent); color: #fff; border-radius: 8px; padding: 6px 12px;
  font-weight: 600; cursor: pointer; white-space: nowrap; }
.btn:hover:not(:disabled) { filter: brightness(1.08); }
.btn:disabled { opacity: .5; cursor: not-allowed; }
.btn.ghost { background: #fff; color: var(--ink-2); border-color: var(--line); }

.stats { display: grid; grid-template-columns: repeat(4, minmax(0, 1fr)); gap: 8px; padding: 0 16px 8px; }
.stat { border: 1px solid var(--line-2); border-radius: 10px; padding: 8px 10px; }
.stat .k { font-size: 11px; color: var(--muted); text-transform: uppercase; letter-spacing: .04em; display: flex; align-items: center; gap: 6px; }
.stat .v { font-size: 22px; font-weight: 700; font-variant-numeric: tabular-nums; }
.stat.callable .v { color: var(--accent); }
.stat.callable.low .v { color: var(--bad); }
.swatch { width: 10px; height: 3px; border-radius: 2px; display: inline-block; }
.swatch.callable { background: var(--accent); }
.swatch.depth { background: var(--depth); }
.swatch.low { background: repeating-linear-gradient(90deg, var(--bad) 0 4px, transparent 4px 6px); }
.swatch.target { background: repeating-linear-gradient(90deg, var(--good) 0 4px, transparent 4px 6px); }

.chart { position: relative; padding: 4px 8px 0 8px; height: 184px; }
.chart svg { display: block; width: 100%; height: 100%; overflow: visible; }
.chart .empty { position: absolute; inset: 0; display: grid; place-items: center; color: var(--faint); font-size: 13px; }
.axis { font-size: 10px; fill: var(--faint); font-variant-numeric: tabular-nums; }
.gridline { stroke: var(--line-2); stroke-width: 1; }
.thr-label { font-size: 10px; font-weight: 600; }
.thr { stroke-width: 1.25; stroke-dasharray: 5 4; }
.thr.low { stroke: var(--bad); } .thr-label.low { fill: var(--bad); }
.thr.target { stroke: var(--good); } .thr-label.target { fill: var(--good); }
.below-low { fill: rgba(220, 38, 38, .05); }
.depth-area { fill: var(--depth-fill); }
.depth-line { fill: none; stroke: var(--depth); stroke-width: 1.5; }
.callable-line { fill: none; stroke: var(--accent); stroke-width: 2.25; stroke-linejoin: round; }
.now-dot { fill: var(--accent); stroke: #fff; stroke-width: 1.5; }
.now-dot.starving { fill: var(--bad); }

.why { margin: 8px 16px 0; padding: 8px 12px; border-radius: 10px; background: var(--bad-soft); border: 1px solid var(--bad-line); }
.why .title { font-weight: 700; color: var(--bad); margin-bottom: 2px; }
.why ul { margin: 0; padding-left: 18px; color: var(--ink-2); }
.note { margin: 8px 16px 0; color: var(--muted); font-size: 13px; }

.runs { margin: 10px 0 0; border-top: 1px solid var(--line-2); }
.runs .runs-head { display: flex; justify-content: space-between; padding: 10px 16px 4px; color: var(--muted); font-size: 12px;
  text-transform: uppercase; letter-spacing: .04em; }
.run { display: grid; grid-template-columns: 12px 64px 128px 1fr auto; align-items: center; gap: 10px; padding: 7px 16px;
  border-top: 1px solid var(--line-2); cursor: pointer; }
.run:hover { background: #f8fafc; }
.run .sdot { width: 9px; height: 9px; border-radius: 50%; background: var(--good); }
.run .sdot.Failed { background: var(--bad); }
.run .sdot.Running { background: var(--info); }
.run .id { font-weight: 600; font-variant-numeric: tabular-nums; }
.run .when { color: var(--muted); font-size: 12px; white-space: nowrap; }
.run .counts { display: flex; flex-wrap: wrap; gap: 4px; }
.run .go { color: var(--faint); font-size: 12px; }
.code { font-size: 11px; padding: 1px 7px; border-radius: 6px; background: var(--line-2); color: var(--ink-2); white-space: nowrap;
  font-variant-numeric: tabular-nums; }
.code.ok { background: var(--good-soft); color: var(--good); }
.code.fail { background: var(--bad-soft); color: var(--bad); }
.runs .none { padding: 10px 16px 14px; color: var(--faint); font-size: 13px; }
.card-foot { display: flex; gap: 14px; padding: 10px 16px 12px; color: var(--muted); font-size: 12px; border-top: 1px solid var(--line-2); }

.empty-state { text-align: center; padding: 80px 20px; color: var(--muted); background: var(--card); border: 1px dashed var(--line);
  border-radius: var(--radius); }
.empty-state code { background: var(--line-2); padding: 2px 6px; border-radius: 6px; }

.tooltip { position: fixed; z-index: 20; pointer-events: none; background: #0f172a; color: #fff; font-size: 12px; padding: 7px 9px;
  border-radius: 8px; box-shadow: 0 6px 18px rgba(15,23,42,.25); display: none; font-variant-numeric: tabular-nums; }
.tooltip b { font-weight: 600; }

.toast-wrap { position: fixed; right: 20px; bottom: 20px; display: flex; flex-direction: column; gap: 8px; z-index: 30; }
.toast { background: #0f172a; color: #fff; padding: 10px 14px; border-radius: 10px; box-shadow: 0 8px 24px rgba(15,23,42,.25);
  max-width: 380px; }
.toast.bad { background: var(--bad); }

.overlay { position: fixed; inset: 0; background: rgba(15,23,42,.35); z-index: 40; display: flex; justify-content: flex-end; }
.drawer { width: min(920px, 96vw); height: 100%; background: #fff; box-shadow: -12px 0 32px rgba(15,23,42,.18); display: flex;
  flex-direction: column; }
.drawer header { display: flex; align-items: flex-start; gap: 12px; padding: 18px 20px 12px; border-bottom: 1px solid var(--line); }
.drawer header h3 { margin: 0; font-size: 17px; }
.drawer header .meta { color: var(--muted); font-size: 13px; margin-top: 2px; }
.drawer header .spacer { flex: 1; }
.drawer .filters { display: flex; flex-wrap: wrap; gap: 6px; padding: 12px 20px; border-bottom: 1px solid var(--line-2); }
.chip { border: 1px solid var(--line); background: #fff; border-radius: 999px; padding: 3px 10px; cursor: pointer; font-size: 12px; }
.chip.on { background: var(--ink); color: #fff; border-color: var(--ink); }
.drawer .body { overflow: auto; flex: 1; }
table.failed { width: 100%; border-collapse: collapse; font-size: 13px; }
table.failed th { position: sticky; top: 0; background: #f8fafc; text-align: left; font-weight: 600; color: var(--muted); font-size: 12px;
  padding: 8px 12px; border-bottom: 1px solid var(--line); }
table.failed td { padding: 8px 12px; border-bottom: 1px solid var(--line-2); vertical-align: top; }
table.failed td.rec { font-family: var(--mono); font-size: 12px; color: var(--ink-2); overflow-wrap: anywhere; max-width: 360px; }
.drawer .foot { padding: 10px 20px; color: var(--muted); font-size: 12px; border-top: 1px solid var(--line); }
.drawer .msg { padding: 40px 20px; text-align: center; color: var(--muted); }
@media (max-width: 700px) { .summary { grid-template-columns: repeat(2, 1fr); } .grid { grid-template-columns: 1fr; } }
`;
