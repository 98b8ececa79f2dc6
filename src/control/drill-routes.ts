/** The control API's drill routes (`/api/drills*`): past drills' journals and reports. */
import { LabError } from '../errors.js';
import type * as DrillComponent from '../drill/index.js';
import type { Route } from './api.js';
import { sendJson } from './http-util.js';

// Loaded when a drill route is first asked for: the drill component brings the load engine and pg along.
const drills = (): Promise<typeof DrillComponent> => import('../drill/index.js');

/** The id in the path, decoded; a malformed escape is an unknown drill, not a crash. */
function idParam(raw: string | undefined): string {
  try {
    return decodeURIComponent(raw ?? '');
  } catch {
    throw new LabError('LAB_DRILL_NOT_FOUND', `no drill ${JSON.stringify(raw ?? '')}: the id is not valid; fix: GET /api/drills lists the past drills`);
  }
}

export const DRILL_ROUTES: Array<[string, RegExp, Route]> = [
  ['GET', /^\/api\/drills$/, async (lab, _req, res) => sendJson(res, 200, { drills: await (await drills()).listDrills(lab.status().stateDir) })],
  ['GET', /^\/api\/drills\/([^/]+)$/, async (lab, _req, res, [id]) => sendJson(res, 200, await (await drills()).readJournal(lab.status().stateDir, idParam(id)))],
  ['GET', /^\/api\/drills\/([^/]+)\/report$/, async (lab, _req, res, [id]) => {
    const html = await (await drills()).readReport(lab.status().stateDir, idParam(id));
    // The report is self-contained; the CSP keeps it so even if a journal held markup.
    res.writeHead(200, { 'content-type': 'text/html; charset=utf-8', 'content-length': Buffer.byteLength(html), 'cache-control': 'no-store', 'content-security-policy': "default-src 'none'; style-src 'unsafe-inline'; img-src data:" });
    res.end(html);
  }],
];
