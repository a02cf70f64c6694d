// layout.js - injected by tests/run-html into a copy of a report: measures
// the laid-out page in Chromium and appends <pre id="layout"> with
// LAYOUT-OK or LAYOUT-FAIL and what is wrong: the page wider than the
// window, a host table wider than its box (a horizontal scrollbar), text
// of a chart cut at the chart's edges, the same tick label twice.
(function () {
	var out = [], de = document.documentElement, vw = de.clientWidth;
	if (de.scrollWidth > vw + 1)
		out.push('page ' + de.scrollWidth + ' px wide in ' + vw);
	document.querySelectorAll('.box').forEach(function (b) {
		var t = b.querySelector('table');
		if (t && b.scrollWidth > b.clientWidth + 1)
			out.push('table ' + b.scrollWidth + ' px in a box of ' +
			    b.clientWidth + ': ' +
			    t.textContent.replace(/\s+/g, ' ').slice(0, 60));
	});
	document.querySelectorAll('svg').forEach(function (s) {
		var w = s.viewBox.baseVal.width, ticks = {};
		s.querySelectorAll('text').forEach(function (t) {
			var r = t.getBBox();
			if (r.x < -0.5 || r.x + r.width > w + 0.5)
				out.push('cut: "' + t.textContent + '" at ' +
				    r.x.toFixed(1) + '..' +
				    (r.x + r.width).toFixed(1) + ' of ' + w);
			if (t.getAttribute('text-anchor') === 'middle') {
				if (ticks[t.textContent])
					out.push('tick twice: ' + t.textContent);
				ticks[t.textContent] = 1;
			}
		});
	});
	var p = document.createElement('pre');
	p.id = 'layout';
	p.textContent = (out.length ? 'LAYOUT-FAIL\n' + out.join('\n') :
	    'LAYOUT-OK') + '\n';
	document.body.appendChild(p);
})();
