// Draws dashboard panels (Grafana's gridPos: 24 columns, rows of 30 px) to one SVG: a timeseries
// panel as lines with its y range, legend and last values; a stat panel as its last value through
// the panel's value mappings. Plain SVG, no fonts beyond monospace, so it renders on GitHub as is.
const palette = ['#73bf69', '#f2cc0c', '#5794f2', '#ff9830', '#f2495c', '#b877d9', '#8ab8ff', '#96d98d', '#ffb357', '#ca95e5'];
const width = 1200;
const col = width / 24;
const rowHeight = 30;
const esc = text => String(text).replace(/[&<>"]/g, c => ({'&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;'})[c]);

function format(value, unit) {
	if (!Number.isFinite(value)) return '-';
	const abs = Math.abs(value);
	if (unit === 'bytes') {
		const units = ['B', 'KiB', 'MiB', 'GiB'];
		let i = 0;
		let v = value;
		while (Math.abs(v) >= 1024 && i < units.length - 1) (v /= 1024), i++;
		return `${v.toFixed(v >= 100 || i === 0 ? 0 : 1)} ${units[i]}`;
	}
	if (unit === 's') return abs < 1 ? `${(value * 1000).toFixed(abs < 0.01 ? 1 : 0)} ms` : abs < 120 ? `${value.toFixed(1)} s` : abs < 7200 ? `${(value / 60).toFixed(0)} min` : `${(value / 3600).toFixed(1)} h`;
	if (unit === 'percentunit') return `${(value * 100).toFixed(1)}%`;
	if (abs >= 10_000) return `${(value / 1000).toFixed(0)}k`;
	return abs >= 100 || Number.isInteger(value) ? value.toFixed(0) : value.toFixed(2);
}

function mapped(value, panel) {
	for (const mapping of panel.fieldConfig?.defaults?.mappings ?? []) {
		const hit = mapping.options?.[String(value)];
		if (hit) return {text: hit.text, color: {green: '#73bf69', orange: '#ff9830', red: '#f2495c'}[hit.color] ?? hit.color};
	}
	return {text: format(value, panel.fieldConfig?.defaults?.unit), color: '#d8d9da'};
}

function stat(panel, box) {
	const items = panel.series.map(s => ({name: s.name, ...mapped(s.points.at(-1)?.[1], panel)}));
	const each = box.w / Math.max(1, items.length);
	return items.map((item, i) => {
		const x = box.x + each * i + each / 2;
		return `<text x="${x}" y="${box.y + box.h / 2 + 4}" text-anchor="middle" font-size="${items.length > 2 ? 20 : 28}" font-weight="bold" fill="${item.color}">${esc(item.text)}</text>`
			+ `<text x="${x}" y="${box.y + box.h - 8}" text-anchor="middle" font-size="11" fill="#8e8e8e">${esc(item.name)}</text>`;
	}).join('');
}

function timeseries(panel, box, range) {
	const unit = panel.fieldConfig?.defaults?.unit;
	const values = panel.series.flatMap(s => s.points.map(p => p[1])).filter(Number.isFinite);
	let min = Math.min(0, ...values);
	let max = Math.max(...values, 0);
	if (max === min) max = min + 1;
	max += (max - min) * 0.08;
	const legendRows = Math.min(4, Math.ceil(panel.series.length / 2));
	const plot = {x: box.x + 70, y: box.y + 6, w: box.w - 80, h: box.h - 22 - legendRows * 14};
	const sx = t => plot.x + ((t - range.from) / Math.max(1, range.to - range.from)) * plot.w;
	const sy = v => plot.y + plot.h - ((v - min) / (max - min)) * plot.h;
	let svg = '';
	for (const f of [0, 0.5, 1]) {
		const v = min + (max - min) * f;
		svg += `<line x1="${plot.x}" x2="${plot.x + plot.w}" y1="${sy(v)}" y2="${sy(v)}" stroke="#2c3235"/>`;
		svg += `<text x="${plot.x - 6}" y="${sy(v) + 4}" text-anchor="end" font-size="10" fill="#8e8e8e">${esc(format(v, unit))}</text>`;
	}
	const shown = panel.series.slice(0, 8);
	shown.forEach((s, i) => {
		const colour = palette[i % palette.length];
		const d = s.points.filter(p => Number.isFinite(p[1])).map((p, j) => `${j ? 'L' : 'M'}${sx(p[0]).toFixed(1)},${sy(p[1]).toFixed(1)}`).join('');
		if (d) svg += `<path d="${d}" fill="none" stroke="${colour}" stroke-width="1.6"/>`;
		const lx = box.x + 10 + (i % 2) * (box.w / 2);
		const ly = plot.y + plot.h + 18 + Math.floor(i / 2) * 14;
		if (Math.floor(i / 2) < legendRows) svg += `<rect x="${lx}" y="${ly - 8}" width="10" height="3" fill="${colour}"/><text x="${lx + 14}" y="${ly - 3}" font-size="10" fill="#ccccdc">${esc(`${s.name}  ${format(s.points.at(-1)?.[1], unit)}`.slice(0, 60))}</text>`;
	});
	if (panel.series.length === 0) svg += `<text x="${plot.x + plot.w / 2}" y="${plot.y + plot.h / 2}" text-anchor="middle" font-size="12" fill="#8e8e8e">No data</text>`;
	return svg;
}

export function drawDashboard(title, panels, range) {
	const height = Math.max(...panels.map(p => (p.gridPos.y + p.gridPos.h) * rowHeight)) + 40;
	let svg = `<svg xmlns="http://www.w3.org/2000/svg" width="${width + 16}" height="${height + 8}" font-family="monospace">`;
	svg += `<rect width="100%" height="100%" fill="#111217"/>`;
	const span = Math.round((range.to - range.from) / 1000);
	svg += `<text x="12" y="24" font-size="16" fill="#ccccdc">${esc(title)}</text><text x="${width}" y="24" text-anchor="end" font-size="11" fill="#8e8e8e">${esc(`rendered by media/dashboard.mjs from ${span} s of real /metrics scrapes (not Grafana)`)}</text>`;
	for (const panel of panels) {
		const {x, y, w, h} = panel.gridPos;
		const box = {x: 8 + x * col + 4, y: 36 + y * rowHeight + 4, w: w * col - 8, h: h * rowHeight - 8};
		svg += `<rect x="${box.x}" y="${box.y}" width="${box.w}" height="${box.h}" rx="3" fill="#181b1f" stroke="#2c3235"/>`;
		svg += `<text x="${box.x + 8}" y="${box.y + 16}" font-size="12" font-weight="bold" fill="#ccccdc">${esc(panel.title)}</text>`;
		const inner = {x: box.x, y: box.y + 22, w: box.w, h: box.h - 22};
		svg += panel.type === 'stat' ? stat(panel, inner) : timeseries(panel, inner, range);
	}
	return `${svg}</svg>\n`;
}
