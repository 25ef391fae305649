"""Pure rules of the seeds' working systems: the wish lifecycle and funnel, matters and meetings,
dual reporting, grid coverage and organisation health. No I/O: the stores supply facts, these
modules decide and count."""
