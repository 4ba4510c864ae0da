-- wrk's closing report as one machine-readable line for the bench scripts, after wrk's own output.
-- Latencies in microseconds; ok = responses with a 2xx or 3xx status (wrk counts the others as status errors).
done = function(summary, latency, requests)
	local errors = summary.errors
	io.write(string.format(
		"report requests=%d ok=%d non2xx=%d connect=%d read=%d write=%d timeout=%d duration_us=%d rps=%.0f p50_us=%d p90_us=%d p99_us=%d max_us=%d\n",
		summary.requests, summary.requests - errors.status, errors.status, errors.connect, errors.read,
		errors.write, errors.timeout, summary.duration, summary.requests / (summary.duration / 1e6),
		latency:percentile(50), latency:percentile(90), latency:percentile(99), latency.max))
end
