/**
 * The lab's telemetry hub as the tests' OTLP receiver: the real consumer of the
 * services' telemetry. The services never import the lab; only this test helper
 * does, from the root package's compiled output (the root is built before the cafe).
 */
import type * as Telemetry from '../../../../dist/src/telemetry/index.js';

export type Hub = Telemetry.Hub;
export type HubAddresses = Telemetry.HubAddresses;

/** dist/src/telemetry/index.js of the root package, from dist/test/harness/ of the cafe. */
const HUB_MODULE = new URL('../../../../../dist/src/telemetry/index.js', import.meta.url);

export async function startHub(): Promise<{ hub: Hub; addresses: HubAddresses }> {
  let telemetry: typeof Telemetry;
  try {
    telemetry = (await import(HUB_MODULE.href)) as typeof Telemetry;
  } catch (err) {
    throw new Error(`cannot load the lab's telemetry hub from ${HUB_MODULE.pathname}; build the root package first (npm run build at the repository root)`, { cause: err });
  }
  const hub = telemetry.createHub({ otlpHttpPort: 0, otlpGrpcPort: 0, queryPort: 0 });
  const addresses = await hub.listen();
  return { hub, addresses };
}
