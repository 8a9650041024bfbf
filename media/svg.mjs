// A headless xterm's screen → one SVG: each row split into runs of cells with the same colours and
// attributes, a rect for every non-default background, a <text> per run pinned to its columns
// (textLength), so a font with other glyph widths cannot shift the table columns.

/** A dark theme: the 16 ANSI colours (One Dark-ish), foreground and background. */
export const theme = {
	background: '#1b1e24',
	foreground: '#d6dae0',
	ansi: ['#3b4048', '#e06c75', '#98c379', '#e5c07b', '#61afef', '#c678dd', '#56b6c2', '#d6dae0',
		'#6b7280', '#ff7b86', '#b5e890', '#ffd68a', '#82c4ff', '#e09bf2', '#7fd8e3', '#ffffff'],
};

const cell = {width: 8.4, height: 18, font: 14};
const pad = {x: 14, top: 38, bottom: 14};

/** xterm's 256-colour palette entry as #rrggbb. */
function palette(n) {
	if (n < 16) return theme.ansi[n];
	if (n < 232) {
		const i = n - 16;
		const level = v => (v === 0 ? 0 : 55 + v * 40);
		return rgb((level(Math.floor(i / 36)) << 16) | (level(Math.floor(i / 6) % 6) << 8) | level(i % 6));
	}
	const grey = 8 + (n - 232) * 10;
	return rgb((grey << 16) | (grey << 8) | grey);
}

function rgb(value) {
	return `#${value.toString(16).padStart(6, '0')}`;
}

function colours(c) {
	let fg = c.isFgDefault() ? theme.foreground : c.isFgPalette() ? palette(c.getFgColor()) : rgb(c.getFgColor());
	let bg = c.isBgDefault() ? undefined : c.isBgPalette() ? palette(c.getBgColor()) : rgb(c.getBgColor());
	// bold with one of the 8 basic colours is drawn bright, as most terminals do
	if (c.isBold() && c.isFgPalette() && c.getFgColor() < 8) fg = theme.ansi[c.getFgColor() + 8];
	if (c.isInverse()) [fg, bg] = [bg ?? theme.background, fg];
	return {fg, bg};
}

export function escapeXml(text) {
	return text.replace(/[<>&"']/g, ch => ({'<': '&lt;', '>': '&gt;', '&': '&amp;', '"': '&quot;', "'": '&apos;'})[ch]);
}

// Box-drawing and block characters are drawn as shapes: a font's glyphs for them rarely fill the
// cell, which leaves gaps in borders, sparklines and progress bars.
const corners = {'╭': [1, 1, 1], '╮': [-1, 1, 1], '╰': [1, -1, 1], '╯': [-1, -1, 1], '┌': [1, 1, 0], '┐': [-1, 1, 0], '└': [1, -1, 0], '┘': [-1, -1, 0]};
const shades = {'░': 0.25, '▒': 0.5, '▓': 0.75};
const isGraphic = ch => ch === '─' || ch === '│' || ch in corners || ch in shades || (ch >= '▁' && ch <= '█') || ch === '▌' || ch === '▐';

/** SVG for one graphic cell at (x, top) in colour fg. */
function graphic(ch, x, top, fg) {
	const w = cell.width;
	const h = cell.height;
	const cx = x + w / 2;
	const cy = top + h / 2;
	const f = n => n.toFixed(1);
	const stroke = `fill="none" stroke="${fg}" stroke-width="1.2"`;
	if (ch === '─') return `<path d="M${f(x)} ${f(cy)}H${f(x + w)}" ${stroke}/>`;
	if (ch === '│') return `<path d="M${f(cx)} ${f(top)}V${f(top + h)}" ${stroke}/>`;
	if (ch in corners) {
		const [dx, dy, round] = corners[ch];
		const r = round ? w / 2 : 0;
		const endX = dx > 0 ? x + w : x;
		const endY = dy > 0 ? top + h : top;
		return `<path d="M${f(endX)} ${f(cy)}H${f(cx + dx * r)}Q${f(cx)} ${f(cy)} ${f(cx)} ${f(cy + dy * r)}V${f(endY)}" ${stroke}/>`;
	}
	if (ch in shades) return `<rect x="${f(x)}" y="${f(top)}" width="${f(w)}" height="${h}" fill="${fg}" opacity="${shades[ch]}"/>`;
	if (ch === '▌' || ch === '▐') return `<rect x="${f(ch === '▌' ? x : cx)}" y="${f(top)}" width="${f(w / 2)}" height="${h}" fill="${fg}"/>`;
	// ▁ (1/8) … █ (8/8), from the bottom of the cell
	const eighths = ch.codePointAt(0) - 0x2580;
	const bh = (h * eighths) / 8;
	return `<rect x="${f(x)}" y="${f(top + h - bh)}" width="${f(w + 0.2)}" height="${f(bh)}" fill="${fg}"/>`;
}

/** The runs of one row: consecutive cells with equal style; wide glyphs take two columns. */
function runsOf(line, cols, scratch) {
	const runs = [];
	for (let x = 0; x < cols; x++) {
		const c = line.getCell(x, scratch);
		if (!c || c.getWidth() === 0) continue; // the right half of a wide glyph
		const {fg, bg} = colours(c);
		const style = {fg, bg, bold: Boolean(c.isBold()), dim: Boolean(c.isDim()), italic: Boolean(c.isItalic()), underline: Boolean(c.isUnderline())};
		const chars = c.getChars() || ' ';
		const width = c.getWidth();
		const last = runs.at(-1);
		if (isGraphic(chars)) {
			runs.push({x, cols: width, text: chars, style, graphic: true});
		} else if (last && !last.graphic && last.x + last.cols === x && ['fg', 'bg', 'bold', 'dim', 'italic', 'underline'].every(k => last.style[k] === style[k])) {
			last.text += chars;
			last.cols += width;
		} else {
			runs.push({x, cols: width, text: chars, style});
		}
	}
	return runs;
}

/** Renders terminal's visible screen to an SVG string. title goes in the window bar. */
export function screenToSvg(terminal, {title = 'opsdeck'} = {}) {
	const {cols, rows} = terminal;
	const buffer = terminal.buffer.active;
	const width = Math.ceil(pad.x * 2 + cols * cell.width);
	const height = Math.ceil(pad.top + rows * cell.height + pad.bottom);
	const out = [];
	out.push(`<svg xmlns="http://www.w3.org/2000/svg" width="${width}" height="${height}" viewBox="0 0 ${width} ${height}" role="img" aria-label="${escapeXml(title)}">`);
	out.push(`<style>text{font-family:ui-monospace,SFMono-Regular,Menlo,Consolas,'DejaVu Sans Mono','Liberation Mono',monospace;font-size:${cell.font}px;white-space:pre}.b{font-weight:bold}.d{opacity:.6}.i{font-style:italic}.u{text-decoration:underline}</style>`);
	out.push(`<rect width="${width}" height="${height}" rx="8" fill="${theme.background}"/>`);
	// a window bar: three dots and the title
	out.push(`<circle cx="20" cy="17" r="5.5" fill="#ff5f57"/><circle cx="38" cy="17" r="5.5" fill="#febc2e"/><circle cx="56" cy="17" r="5.5" fill="#28c840"/>`);
	out.push(`<text x="${width / 2}" y="21" text-anchor="middle" fill="#8b929c" style="font-size:12px">${escapeXml(title)}</text>`);
	const scratch = buffer.getNullCell();
	const texts = [];
	for (let y = 0; y < rows; y++) {
		const line = buffer.getLine(buffer.viewportY + y);
		if (!line) continue;
		const top = pad.top + y * cell.height;
		const baseline = (top + cell.height * 0.75).toFixed(1);
		for (const run of runsOf(line, cols, scratch)) {
			const x = (pad.x + run.x * cell.width).toFixed(1);
			const w = (run.cols * cell.width).toFixed(1);
			if (run.style.bg) out.push(`<rect x="${x}" y="${top}" width="${w}" height="${cell.height}" fill="${run.style.bg}"/>`);
			if (run.graphic) {
				texts.push(`<g${run.style.dim ? ' class="d"' : ''}>${graphic(run.text, pad.x + run.x * cell.width, top, run.style.fg)}</g>`);
				continue;
			}
			if (run.text.trim() === '') continue;
			const classes = ['b', 'd', 'i', 'u'].filter((k, i) => [run.style.bold, run.style.dim, run.style.italic, run.style.underline][i]);
			const cls = classes.length ? ` class="${classes.join(' ')}"` : '';
			// trailing spaces need no glyphs; leading ones keep their columns through textLength
			const text = run.text.replace(/ +$/, '');
			const textCols = [...text].reduce((n, ch) => n + (/[\u1100-\u115f\u2e80-\ua4cf\uac00-\ud7a3\uf900-\ufaff\ufe30-\ufe4f\uff00-\uff60\uffe0-\uffe6]/.test(ch) ? 2 : 1), 0);
			const length = (Math.min(textCols, run.cols) * cell.width).toFixed(1);
			texts.push(`<text x="${x}" y="${baseline}" fill="${run.style.fg}"${cls} textLength="${length}" lengthAdjust="spacingAndGlyphs" xml:space="preserve">${escapeXml(text)}</text>`);
		}
	}
	out.push(...texts, '</svg>', '');
	return out.join('\n');
}
