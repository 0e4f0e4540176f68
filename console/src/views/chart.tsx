/** A small SVG line chart: one line per series over the last `seconds` seconds. */
export interface Series {
  name: string;
  values: number[];
}

const COLORS = ['#2563eb', '#16a34a', '#dc2626', '#d97706', '#7c3aed', '#0891b2', '#db2777', '#64748b'];

export function LineChart({ title, series, seconds }: { title: string; series: Series[]; seconds: number }) {
  const w = 480;
  const h = 140;
  const pad = 24;
  const max = Math.max(1, ...series.flatMap((s) => s.values));
  const x = (i: number) => pad + (i * (w - pad - 4)) / Math.max(1, seconds - 1);
  const y = (v: number) => h - pad - (v * (h - pad - 8)) / max;
  return (
    <figure class="chart">
      <figcaption>{title}</figcaption>
      <svg viewBox={`0 0 ${w} ${h}`} role="img" aria-label={title}>
        <line x1={pad} y1={h - pad} x2={w - 4} y2={h - pad} class="axis" />
        <line x1={pad} y1={8} x2={pad} y2={h - pad} class="axis" />
        <text x={pad - 4} y={12} class="tick" text-anchor="end">
          {max}
        </text>
        <text x={pad - 4} y={h - pad} class="tick" text-anchor="end">
          0
        </text>
        <text x={pad} y={h - 6} class="tick">
          -{seconds}s
        </text>
        <text x={w - 4} y={h - 6} class="tick" text-anchor="end">
          now
        </text>
        {series.map((s, i) => (
          <polyline
            key={s.name}
            fill="none"
            stroke={COLORS[i % COLORS.length]}
            stroke-width="1.5"
            points={s.values.map((v, j) => `${x(j).toFixed(1)},${y(v).toFixed(1)}`).join(' ')}
          />
        ))}
      </svg>
      <ul class="legend">
        {series.map((s, i) => (
          <li key={s.name}>
            <i style={{ background: COLORS[i % COLORS.length] }} />
            {s.name} <small>({s.values.reduce((a, b) => a + b, 0)})</small>
          </li>
        ))}
        {series.length === 0 && <li class="hint">No requests yet.</li>}
      </ul>
    </figure>
  );
}
