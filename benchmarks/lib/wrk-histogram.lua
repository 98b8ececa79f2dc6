-- For benchmarks/lib/wrk.mjs. When the run ends, prints wrk's own CPU time so far (user +
-- system, every thread: os.clock) and its latency histogram, before this listing costs
-- any CPU of its own:
--   cloudlab-wrk <cpu s> <duration µs> <requests> <µs>:<count>,<µs>:<count>,...
-- The counts are the ones wrk prints percentiles from, after its coordinated-omission
-- correction; wrk.mjs takes that correction back out.
done = function(summary, latency, requests)
  local cpu = os.clock()
  local buckets = {}
  for i = 1, #latency do
    local value, count = latency(i)
    buckets[i] = value .. ":" .. count
  end
  io.write(string.format("cloudlab-wrk %.6f %d %d %s\n", cpu, summary.duration, summary.requests, table.concat(buckets, ",")))
end
