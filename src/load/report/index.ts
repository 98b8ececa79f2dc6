/** The load generator's reports: JSON and HTML files, the comparison, the terminal summary. Public API. */
export { writeReports, readSummary, htmlPathFor } from './write-reports.js';
export { compareSummaries } from './compare.js';
export { renderHtml } from './html.js';
export { formatSummary, errorsText, ms, percent } from './format.js';
