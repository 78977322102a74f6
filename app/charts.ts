/**
 * Line charts with uPlot (about 50 KB, canvas, fast enough to redraw every epoch). Fixed height and a width that
 * follows the card, so nothing jumps when data arrives.
 */
import uPlot from 'uplot';
import 'uplot/dist/uPlot.min.css';

export const PALETTE = ['#2f5bd3', '#d9480f', '#2b8a3e', '#9c36b5', '#c92a2a', '#1098ad', '#e67700', '#5c940d', '#495057'];

export interface Series {
  label: string;
  color?: string;
  dash?: number[];
  /** 'y' (left) or 'r' (right) scale. */
  scale?: string;
}

export interface LineChart {
  set(x: number[], ys: (number | null)[][]): void;
  destroy(): void;
  readonly root: HTMLElement;
}

/**
 * @example const c = lineChart(el, { x: 'epoch', series: [{ label: 'loss' }] }); c.set([1, 2], [[0.9, 0.7]]);
 */
export function lineChart(host: HTMLElement, o: { x: string; series: Series[]; height?: number; xRange?: [number, number]; yRange?: [number, number]; right?: string; title?: string }): LineChart {
  const width = () => Math.max(240, host.clientWidth || 480);
  const scales: uPlot.Scales = { x: { time: false, ...(o.xRange ? { range: o.xRange } : {}) }, y: o.yRange ? { range: o.yRange } : {} };
  const axes: uPlot.Axis[] = [{ label: o.x }, { scale: 'y' }];
  if (o.right) {
    scales.r = { range: [0, 1] };
    axes.push({ scale: 'r', side: 1, label: o.right, grid: { show: false } });
  }
  const plot = new uPlot(
    {
      width: width(),
      height: o.height ?? 220,
      title: o.title,
      scales,
      axes,
      cursor: { drag: { x: false, y: false } },
      legend: { live: false }, // names only: live hover values made the legend jump
      series: [{ label: o.x }, ...o.series.map((s, i) => ({ label: s.label, stroke: s.color ?? PALETTE[i % PALETTE.length], width: 2, dash: s.dash, scale: s.scale ?? 'y', spanGaps: true, points: { show: false } }))],
    },
    [[], ...o.series.map(() => [])],
    host,
  );
  const resize = new ResizeObserver(() => plot.setSize({ width: width(), height: o.height ?? 220 }));
  resize.observe(host);
  return {
    root: plot.root,
    set: (x, ys) => plot.setData([x, ...ys] as uPlot.AlignedData),
    destroy: () => (resize.disconnect(), plot.destroy()),
  };
}
