"""A measure's chart, from its data to what pages, downloads and the PDF show.

* ``compute``: which chart and rules, one engine call, the signals and the summary in words (``build_chart``,
  ``ChartView``);
* ``numbers``: numbers as the words and tables show them (``fmt``, ``fmt_apart``, ``about_apart``);
* ``layout``: the chart's geometry, computed for SVG templates (``build_geometry``, sizes, label widths);
* ``svg``: the per-point SVG elements of a laid-out chart;
* ``presentation``: the chart's table rows, Making Data Count icons and template context;
* ``cache_keys``: the keys a computed chart is cached under (the measure's data version and more);
* ``cached_html``: the measure page's and the small multiples' rendered HTML, from the cache;
* ``rules_page``: the rule sets and rules the "what the rules mean" page lists, from the engine's registry.
"""
