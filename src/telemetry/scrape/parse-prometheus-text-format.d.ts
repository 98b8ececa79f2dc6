// Types for parse-prometheus-text-format 1.1.x, which ships none. The shape is
// prom2json's: one entry per metric family, values as the strings of the exposition.
declare module 'parse-prometheus-text-format' {
  interface ParsedMetric {
    value?: string;
    labels?: Record<string, string>;
    timestamp_ms?: string;
    /** Histogram and summary families only (which the scraper never hands it, see exposition.ts). */
    buckets?: Record<string, string>;
    quantiles?: Record<string, string>;
    count?: string;
    sum?: string;
  }
  interface ParsedFamily {
    name: string;
    help: string;
    /** Upper case: COUNTER, GAUGE, HISTOGRAM, SUMMARY, UNTYPED (or whatever the TYPE line said). */
    type: string;
    metrics: ParsedMetric[];
  }
  /** Throws InvalidLineError ("Encountered invalid line: ...") on some malformed lines. */
  export default function parsePrometheusTextFormat(text: string): ParsedFamily[];
}
