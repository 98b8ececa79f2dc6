/**
 * Until the console (issue 6) ships, `/` shows the lab's status as a plain page:
 * every part, its state and its URL. Without the token it explains how to get in.
 */
import type { LabStatus } from './handle.js';

function escape(text: string): string {
  return text.replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`);
}

export function consolePage(status: LabStatus | null): string {
  const head = '<!doctype html><html lang="en"><head><meta charset="utf-8"><meta name="color-scheme" content="light dark"><title>cloudlab</title><style>body{font:15px system-ui,sans-serif;margin:2rem;max-width:70rem}table{border-collapse:collapse}td,th{padding:.3rem .8rem;text-align:left;border-bottom:1px solid #8884}</style></head><body><h1>cloudlab</h1>';
  if (status === null) return `${head}<p>Open the console link that <code>cloudlab up</code> printed (it carries the lab's token), or run <code>cloudlab status</code>.</p></body></html>`;
  const rows = status.parts
    .map((p) => `<tr><td>${escape(p.kind)}</td><td>${escape(p.name)}</td><td>${escape(p.state)}</td><td>${escape(p.detail)}</td><td>${p.url ? `<a href="${escape(p.url)}">${escape(p.url)}</a>` : ''}</td></tr>`)
    .join('');
  return `${head}<p>Lab <b>${escape(status.name)}</b>. The full console arrives with a later release; meanwhile this page lists every part.</p><table><thead><tr><th>kind</th><th>name</th><th>state</th><th>detail</th><th>URL</th></tr></thead><tbody>${rows}</tbody></table></body></html>`;
}
