/** The report's inline CSS: light by default, dark when the reader's system prefers it. */
export const REPORT_CSS = `
:root { color-scheme: light dark; --bg: #ffffff; --fg: #1d232b; --muted: #5b6673; --line: #d9dee4; --panel: #f5f7f9;
  --ok: #1a7f37; --bad: #c62828; --warn: #b35c00; --info: #5a5f66; --err: #7b3fb0;
  --fault: rgba(214, 69, 65, 0.14); --fault-fg: #a3322e; --s0: #2f6fdb; --s1: #d1711f; --s2: #2d9a5b; --s3: #9b4dca; --s4: #c2417a; --s5: #178a96; }
@media (prefers-color-scheme: dark) {
  :root { --bg: #15181c; --fg: #e4e8ec; --muted: #9aa5b1; --line: #30363d; --panel: #1d2127;
    --ok: #4ac26b; --bad: #ff6b6b; --warn: #f0a04b; --info: #a0a6ad; --err: #c49bf0;
    --fault: rgba(255, 107, 107, 0.16); --fault-fg: #ff8f8a; --s0: #6ea2ff; --s1: #f0a04b; --s2: #4ac26b; --s3: #c49bf0; --s4: #f07aa8; --s5: #4fc7d3; }
}
* { box-sizing: border-box; }
body { margin: 0; background: var(--bg); color: var(--fg); font: 15px/1.5 system-ui, -apple-system, "Segoe UI", Roboto, sans-serif; }
main { max-width: 980px; margin: 0 auto; padding: 0 20px 48px; }
h1 { font-size: 1.5rem; margin: 0 0 4px; }
h2 { font-size: 1.15rem; margin: 32px 0 8px; border-bottom: 1px solid var(--line); padding-bottom: 4px; }
.banner { padding: 20px; border-radius: 0 0 10px 10px; color: #fff; margin-bottom: 16px; }
.banner.passed { background: var(--ok); } .banner.failed { background: var(--bad); } .banner.aborted { background: var(--warn); }
.banner.interrupted { background: var(--info); } .banner.error { background: var(--err); }
@media (prefers-color-scheme: dark) { .banner { color: #101316; } }
.banner .verdict { font-size: 2rem; font-weight: 700; letter-spacing: 0.04em; text-transform: uppercase; }
.banner ul { margin: 8px 0 0; padding-left: 20px; }
.meta { color: var(--muted); font-size: 0.9rem; }
.story { background: var(--panel); border-left: 4px solid var(--line); padding: 10px 14px; white-space: pre-wrap; }
table { width: 100%; border-collapse: collapse; font-size: 0.9rem; margin: 6px 0; }
th, td { text-align: left; padding: 4px 8px; border-bottom: 1px solid var(--line); vertical-align: top; }
th { color: var(--muted); font-weight: 600; }
td.num { text-align: right; font-variant-numeric: tabular-nums; }
.ok { color: var(--ok); font-weight: 600; } .bad { color: var(--bad); font-weight: 600; } .muted { color: var(--muted); }
code { font-family: ui-monospace, SFMono-Regular, Menlo, Consolas, monospace; font-size: 0.85em; word-break: break-word; }
details summary { cursor: pointer; color: var(--muted); margin: 6px 0; }
svg.chart { width: 100%; height: auto; display: block; margin: 8px 0 16px; background: var(--panel); border-radius: 6px; }
svg .chart-title { fill: var(--fg); font-size: 13px; font-weight: 600; }
svg .tick, svg .row-label { fill: var(--muted); font-size: 11px; }
svg .grid { stroke: var(--line); stroke-width: 1; }
svg .fault-window { fill: var(--fault); }
svg .fault-label { fill: var(--fault-fg); font-size: 10px; }
svg .series { fill: none; stroke-width: 1.8; }
svg .s0 { stroke: var(--s0); fill: var(--s0); } svg .s1 { stroke: var(--s1); fill: var(--s1); } svg .s2 { stroke: var(--s2); fill: var(--s2); }
svg .s3 { stroke: var(--s3); fill: var(--s3); } svg .s4 { stroke: var(--s4); fill: var(--s4); } svg .s5 { stroke: var(--s5); fill: var(--s5); }
svg path.series { fill: none; }
svg .tolerance { stroke: var(--bad); stroke-dasharray: 5 4; stroke-width: 1.4; }
svg .tolerance-label { fill: var(--bad); font-size: 10px; }
svg .bar.phase-passed, svg .bar.phase-done { fill: var(--ok); } svg .bar.phase-failed, svg .bar.phase-error { fill: var(--bad); }
svg .bar.phase-aborted { fill: var(--warn); } svg .bar.phase-interrupted, svg .bar.phase-skipped { fill: var(--info); }
svg .bar.fault { fill: var(--fault-fg); } svg .bar.fault-failed { fill: var(--err); }
.legend span { margin-right: 14px; font-size: 0.85rem; } .legend i { display: inline-block; width: 12px; height: 3px; vertical-align: middle; margin-right: 4px; }
`;
