"""The data set: scales, names, its rows and their COPY into the migrated tables."""
