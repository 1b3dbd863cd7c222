"""Sizes of the data set and of the load, per ``--scale``."""

from dataclasses import dataclass


@dataclass(frozen=True)
class Scale:
    name: str
    # Data set.
    big_customers: int  # customers of the one big tenant
    small_tenants: int
    small_customers: int  # customers of each small tenant
    sales: int  # all sales, the hot customer's included
    hot_sales: int  # sales of the one customer whose historial is measured
    quotations: int
    hot_quotations: int
    # Load.
    duration: int  # seconds of one wrk run (a slow server gets longer runs, see min_requests)
    max_duration: int
    rounds: int
    connections: int
    threads: int
    min_requests: int  # a run of a slow server lasts long enough to complete about this many
    cursor_depth_pages: int  # the deep cursor page (200 customers a page)

    @property
    def customers(self) -> int:
        return self.big_customers + self.small_tenants * self.small_customers


LOAD = {"connections": 10, "threads": 2}
SCALES = {
    "full": Scale(
        "full", 1_000_000, 200, 5_000, 2_000_000, 100_000, 300_000, 200,
        duration=10, max_duration=40, rounds=3, min_requests=30, cursor_depth_pages=4_000, **LOAD,
    ),
    # About 1/50 of the rows. Small tenants keep their real size (5,000), there are fewer of them.
    "small": Scale(
        "small", 20_000, 4, 5_000, 40_000, 2_000, 6_000, 20,
        duration=1, max_duration=4, rounds=2, min_requests=10, cursor_depth_pages=80, **LOAD,
    ),
}  # fmt: skip
