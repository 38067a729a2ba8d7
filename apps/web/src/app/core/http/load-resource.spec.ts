import { EnvironmentInjector, createEnvironmentInjector, runInInjectionContext } from '@angular/core';
import { TestBed } from '@angular/core/testing';
import { Subject } from 'rxjs';

import { loadResource } from './load-resource';

describe('loadResource', () => {
  let answers: Subject<string[]>[];
  const load = () => {
    const answer = new Subject<string[]>();
    answers.push(answer);
    return answer;
  };
  const describeError = (error: unknown) => `Could not load: ${(error as Error).message}`;

  beforeEach(() => {
    answers = [];
  });

  it('loads at once: loading, then the value', () => {
    const resource = TestBed.runInInjectionContext(() => loadResource(load, describeError));
    expect(answers.length).toBe(1);
    expect(resource.loading()).toBe(true);
    expect(resource.value()).toBeNull();
    answers[0].next(['a']);
    expect(resource.loading()).toBe(false);
    expect(resource.value()).toEqual(['a']);
    expect(resource.error()).toBeNull();
  });

  it('a failure becomes the sentence to show; reload clears it and asks again', () => {
    const resource = TestBed.runInInjectionContext(() => loadResource(load, describeError));
    answers[0].error(new Error('offline'));
    expect(resource.error()).toBe('Could not load: offline');
    expect(resource.loading()).toBe(false);
    resource.reload();
    expect(resource.error()).toBeNull();
    expect(resource.loading()).toBe(true);
    answers[1].next(['b']);
    expect(resource.value()).toEqual(['b']);
  });

  it('reload drops the answer still on its way, and the page may change the value it holds', () => {
    const resource = TestBed.runInInjectionContext(() => loadResource(load, describeError));
    resource.reload();
    answers[0].next(['stale']);
    expect(resource.value()).toBeNull();
    answers[1].next(['fresh']);
    resource.value.update((list) => [...(list ?? []), 'added']);
    expect(resource.value()).toEqual(['fresh', 'added']);
  });

  it('stops listening when its page is destroyed', () => {
    const page = createEnvironmentInjector([], TestBed.inject(EnvironmentInjector));
    const resource = runInInjectionContext(page, () => loadResource(load, describeError));
    expect(answers[0].observed).toBe(true);
    page.destroy();
    expect(answers[0].observed).toBe(false);
    answers[0].next(['late']);
    expect(resource.value()).toBeNull();
  });
});
