"""Charts: the plan of every chart, the drawing jobs, their cache and worker pool."""
