"""Server (b), the naive baseline: what a typical team ships with DRF on the service's models."""
