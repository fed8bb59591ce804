"""The follow-up overview: the computation, a query read into one, its output formats and
charts, and the page."""
