"""Server (c), the floor: the simplest correct bare implementation of every scenario, with SQL
of its own (a WSGI app without a framework: ``bench.floor.app:application``)."""
