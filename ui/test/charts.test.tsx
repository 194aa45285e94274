// @vitest-environment happy-dom
/** The SVG time chart: bars per series, a legend that hides series, keyboard crosshair, a table for screen readers. */
import { cleanup, fireEvent, render, screen, within } from '@testing-library/react';
import { afterEach, describe, expect, it } from 'vitest';
import { TimeChart } from '../src/charts/TimeChart.js';

afterEach(cleanup);

const x = [0, 1, 2, 3].map((h) => new Date(Date.UTC(2025, 0, 1, h)));
const hour = (d: Date) => `${String(d.getUTCHours()).padStart(2, '0')}:00`;

function chart(kind: 'stacked' | 'line') {
  return render(
    <TimeChart
      label="Requests over time"
      kind={kind}
      x={x}
      series={[
        { key: 'openai', label: 'openai', values: [1, 0, 3, 2] },
        { key: 'claude', label: 'claude', values: [0, 2, 1, 0] },
      ]}
      yFormat={(n) => String(n)}
      xFormat={hour}
      integer
    />,
  );
}

describe('time chart', () => {
  it('draws one bar per non-empty value and stacks the series', () => {
    const { container } = chart('stacked');
    expect(container.querySelectorAll('svg rect')).toHaveLength(5);
    // the axis reaches the tallest stack (4) on a whole number
    expect(screen.getAllByText('4').length).toBeGreaterThan(0);
  });

  it('hides a series from its legend button, and shows it again', () => {
    const { container } = chart('stacked');
    const claude = screen.getByRole('button', { name: 'claude' });
    fireEvent.click(claude);
    expect(claude.getAttribute('aria-pressed')).toBe('false');
    expect(container.querySelectorAll('svg rect')).toHaveLength(3);
    fireEvent.click(claude);
    expect(container.querySelectorAll('svg rect')).toHaveLength(5);
  });

  it('moves a crosshair with the arrow keys and reads the values of that point', () => {
    chart('line');
    const plot = screen.getByRole('group', { name: 'Requests over time' });
    fireEvent.keyDown(plot, { key: 'ArrowRight' });
    fireEvent.keyDown(plot, { key: 'ArrowRight' });
    const tip = plot.querySelector('.chart-tip') as HTMLElement;
    expect(within(tip).getByText('01:00')).toBeTruthy();
    const rows = Array.from(tip.querySelectorAll('.chart-tip-row')).map((r) => r.textContent);
    expect(rows).toEqual(['claude2', 'openai0']);
    fireEvent.keyDown(plot, { key: 'Escape' });
    expect(plot.querySelector('.chart-tip')).toBeNull();
  });

  it('carries every figure in a table for screen readers', () => {
    chart('line');
    const table = screen.getByRole('table', { name: 'Requests over time' });
    const cells = within(table).getAllByRole('row').map((r) => r.textContent);
    expect(cells).toEqual(['—openaiclaude', '00:0010', '01:0002', '02:0031', '03:0020']);
  });

  it('says why it is empty', () => {
    render(<TimeChart label="Cost" x={x} series={[{ key: 'c', label: 'cost', values: [0, 0, 0, 0] }]} yFormat={String} xFormat={hour} empty={<span>No requests in this period yet.</span>} />);
    expect(screen.getByText('No requests in this period yet.')).toBeTruthy();
  });
});
