// Each test starts whole hosts (and some the entry point itself); in parallel they would compete for 2 cores and for the
// process-wide hooks WebApplicationFactory uses to capture a host as it is built.
[assembly: CollectionBehavior(DisableTestParallelization = true)]
