/**
 * Apache's event MPM sizing for the lab, the same lines as docker/apache/httpd.conf (a test keeps
 * them equal). Under 64 concurrent keep-alive connections the defaults-like sizing (StartServers 1)
 * lost hundreds of requests: a child whose workers are all busy closes its idle keep-alive
 * connections ("All workers are busy or dying, will shutdown N keep-alive connections" at
 * mpm_event:trace1) while the parent spawns more children one second at a time, and a child that
 * idle maintenance stops closes its own the same way. No `Connection: close` is sent, so a client
 * that reuses the connection gets a reset (wrk: read errors; Node's http.Agent: ECONNRESET).
 * So: start every child up front (StartServers = ServerLimit), give each child threads for the
 * whole expected concurrency, and never reap idle children (MaxSpareThreads = MaxRequestWorkers).
 * MaxKeepAliveRequests is not the cause: its last response says `Connection: close`.
 */
export const APACHE_MPM_TUNING = `StartServers 2
ServerLimit 2
ThreadLimit 64
ThreadsPerChild 64
MaxRequestWorkers 128
MinSpareThreads 64
MaxSpareThreads 128
`;
