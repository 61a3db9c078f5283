"""The query library (``.rq`` files), parameter binding, results, safety and cost checks."""
