/** Decode one export request and hand what was accepted to the sink; shared by both receivers. */
import { LabError } from '../../errors.js';
import type { Clock, TelemetrySink } from '../contracts.js';
import type { Decoded } from '../model.js';
import { decodeLogs, decodeMetrics, decodeTraces } from './decode.js';
import type { OtlpEncoding, OtlpSignal } from './decode.js';

/** Throws LAB_OTLP_BAD_PAYLOAD for an undecodable body, LAB_OTLP_SINK_FAILED when the sink throws. */
export function deliver(signal: OtlpSignal, body: Uint8Array, encoding: OtlpEncoding, sink: TelemetrySink, clock: Clock): Decoded<unknown> {
  let decoded: Decoded<unknown>;
  try {
    switch (signal) {
      case 'traces': {
        const d = decodeTraces(body, encoding);
        if (d.items.length > 0) sink.addSpans(d.items);
        decoded = d;
        break;
      }
      case 'metrics': {
        const d = decodeMetrics(body, encoding);
        if (d.items.length > 0) sink.addMetrics(d.items);
        decoded = d;
        break;
      }
      default: {
        const d = decodeLogs(body, encoding, { clock });
        if (d.items.length > 0) sink.addLogs(d.items);
        decoded = d;
      }
    }
  } catch (err) {
    if (err instanceof LabError) throw err;
    throw new LabError('LAB_OTLP_SINK_FAILED', `storing ${signal} failed: ${err instanceof Error ? err.message : String(err)}`, { cause: err });
  }
  return decoded;
}
