"""The maturity of each value-stream stage (docs/valuestream-format.md, "Maturity"): levels 1 Ad hoc to
5 Optimized judged from the stage's expected processes, its SOPs' review dates and their run records, with
the evidence and the concrete next steps (``levels``); gathered for a library (``assess``); the time people
spend at the screen on a guide, from its runs or recordings (``observed``)."""
