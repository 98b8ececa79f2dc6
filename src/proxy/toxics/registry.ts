import type { ToxicDefinition } from './definition.js';
import { latency } from './latency.js';
import { bandwidth } from './bandwidth.js';
import { slowClose } from './slow-close.js';
import { timeout } from './timeout.js';
import { resetPeer } from './reset-peer.js';
import { slicer } from './slicer.js';
import { limitData } from './limit-data.js';
import { httpError } from './http-error.js';
import { httpLatency } from './http-latency.js';

/** Every toxic type the proxy knows, by its API name. */
export const TOXICS: ReadonlyMap<string, ToxicDefinition> = new Map(
  [latency, bandwidth, slowClose, timeout, resetPeer, slicer, limitData, httpError, httpLatency].map((d) => [d.type, d]),
);
