"""Metric data: values series and survey responses, aggregated per period."""
