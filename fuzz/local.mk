## Fuzz targets: filled in by the fuzzing work.
