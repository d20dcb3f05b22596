"""The classic Bus Evacuation Problem (BEP) benchmark: reader, solver, published results, bench."""
