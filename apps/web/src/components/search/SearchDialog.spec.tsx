import { describe, expect, it, jest } from '@jest/globals';
import { fireEvent, render, screen, waitFor } from '@testing-library/react';
import type { SearchHit, SearchResults } from '@chat/contracts';
import { HighlightedText } from './HighlightedText.js';
import { SearchDialog } from './SearchDialog.js';

const hit = (room: string, id: string, snippet: string, highlights: [number, number][]): SearchHit => ({
  room,
  message: {
    id,
    room,
    seq: 1,
    user: { id: 'u', name: 'ann', guest: false },
    text: snippet,
    time: '2026-11-24T10:00:00.000Z',
  },
  snippet,
  highlights,
  aroundSeq: 1,
});

describe(HighlightedText.name, () => {
  it('should mark the ranges as elements and leave markup in the text as text', () => {
    const { container } = render(
      <HighlightedText
        text="<img src=x onerror=alert(1)> rain and Rain"
        highlights={[
          [29, 33],
          [38, 42],
        ]}
      />,
    );
    expect([...container.querySelectorAll('mark')].map((mark) => mark.textContent)).toEqual(['rain', 'Rain']);
    expect(container.querySelector('img')).toBeNull();
    expect(container.textContent).toBe('<img src=x onerror=alert(1)> rain and Rain');
  });

  it('should drop bidi controls, which would reorder the snippet, and keep the ranges in place', () => {
    const { container } = render(<HighlightedText text={'\u202eevil rain'} highlights={[[6, 10]]} />);
    expect(container.textContent).toBe('evil rain');
    expect(container.querySelector('mark')?.textContent).toBe('rain');
    expect(container.querySelector('bdi')).not.toBeNull();
  });

  it('should skip ranges that overlap or run past the text', () => {
    const { container } = render(
      <HighlightedText
        text="abcdef"
        highlights={[
          [0, 2],
          [1, 3],
          [4, 99],
          [4, 6],
        ]}
      />,
    );
    expect([...container.querySelectorAll('mark')].map((mark) => mark.textContent)).toEqual(['ab', 'ef']);
    expect(container.textContent).toBe('abcdef');
  });
});

describe(SearchDialog.name, () => {
  const results: SearchResults = {
    results: [
      hit('design', 'm1', 'rain in design', [[0, 4]]),
      hit('dev', 'm2', 'rain in dev', [[0, 4]]),
      hit('design', 'm3', 'more rain', [[5, 9]]),
    ],
  };

  it('should group results by room and move with the arrows, Enter jumping, Escape closing', async () => {
    const search = jest.fn(async (_q: string, _cursor?: string) => results);
    const onJump = jest.fn();
    const onClose = jest.fn();
    render(
      <SearchDialog roomLabel={(room) => `# ${room}`} onJump={onJump} onClose={onClose} search={search} />,
    );
    const box = screen.getByRole('combobox', { name: 'Search the rooms you can read' });
    fireEvent.change(box, { target: { value: ' rain ' } });
    await screen.findByText('3 messages');
    expect(search).toHaveBeenCalledWith('rain');
    const groups = screen.getAllByRole('group');
    expect(groups.map((group) => group.getAttribute('aria-label'))).toEqual(['# design', '# dev']);
    // Grouped order: both design results, then dev's.
    const options = screen.getAllByRole('option');
    expect(options.map((option) => option.textContent)).toEqual([
      expect.stringContaining('rain in design'),
      expect.stringContaining('more rain'),
      expect.stringContaining('rain in dev'),
    ]);
    expect(options[0]!.getAttribute('aria-selected')).toBe('true');
    fireEvent.keyDown(box, { key: 'ArrowDown' });
    fireEvent.keyDown(box, { key: 'ArrowDown' });
    fireEvent.keyDown(box, { key: 'ArrowDown' });
    expect(box.getAttribute('aria-activedescendant')).toBe(options[2]!.id);
    fireEvent.keyDown(box, { key: 'ArrowUp' });
    fireEvent.keyDown(box, { key: 'Enter' });
    expect(onJump).toHaveBeenCalledWith(results.results[2]);
    expect(onClose).toHaveBeenCalledTimes(1);
    fireEvent.keyDown(box, { key: 'Escape' });
    expect(onClose).toHaveBeenCalledTimes(2);
  });

  it("should show the server's reason for a query it refused", async () => {
    const { ApiError } = await import('../../api/http.js');
    const search = jest.fn(async () => {
      throw new ApiError(400, { code: 'bad_request', message: 'q: a quote (") is not closed' });
    });
    render(
      <SearchDialog roomLabel={(room) => room} onJump={jest.fn()} onClose={jest.fn()} search={search} />,
    );
    fireEvent.change(screen.getByRole('combobox'), { target: { value: '"open' } });
    await waitFor(() => expect(screen.getByRole('alert').textContent).toBe('q: a quote (") is not closed'));
  });
});
