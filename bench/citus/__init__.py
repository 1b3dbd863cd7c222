"""``--citus``: the service once more, on the data set in a Citus cluster's database."""
