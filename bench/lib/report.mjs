// The Markdown report of a run.

function fmt(value, unit) {
  if (value === null || value === undefined || Number.isNaN(value)) return '—';
  if (unit === 'ms')
    return value < 10 ? value.toFixed(2) : value < 1000 ? value.toFixed(1) : Math.round(value).toLocaleString('en-US');
  if (unit === '/s') return Math.round(value).toLocaleString('en-US');
  if (unit === 'KiB' || unit === 'MiB' || unit === 'MiB/s') return value.toFixed(1);
  return String(value);
}

function cell(s, unit) {
  if (s.median === null) return '—';
  const lost = s.runs.some((v) => v === null) ? ' (a run had lost deliveries)' : '';
  if (s.runs.length === 1 || s.min === s.max) return `**${fmt(s.median, unit)}**${lost}`;
  return `${fmt(s.min, unit)} / **${fmt(s.median, unit)}** / ${fmt(s.max, unit)}${lost}`;
}

export function renderMarkdown(report) {
  const m = report.machine;
  const lines = [];
  lines.push(`# Parley benchmark, ${report.date.slice(0, 10)} (${report.mode} run)`);
  lines.push('');
  lines.push(
    `Machine: ${m.cores} cores (${m.cpuModel}), ${m.memoryGiB} GiB RAM, ${m.os}. ` +
      `Node ${m.node}, PostgreSQL ${m.postgres}, Redis ${m.redis}, socket.io ${m.socketIo} / socket.io-client ${m.socketIoClient}. ` +
      `Parley commit ${m.commit}${m.apiBuiltAt ? `, api built ${m.apiBuiltAt.replace('T', ' ').slice(0, 16)} UTC` : ''}${m.webAppServed ? ', web app build present (served by the api)' : ''}. ` +
      `Load generators, servers, PostgreSQL and Redis share this machine.`,
  );
  lines.push('');
  lines.push(
    `Other processes on the machine: ${m.busyCoresBeforeStart ?? '?'} cores busy just before the run; load average ${(m.loadAverageAtStart ?? []).join(' / ')} at the start, ` +
      `${(m.loadAverageAtEnd ?? []).join(' / ')} at the end (the "others" column of the CPU table shows it per window).`,
  );
  if (m.autovacuum === 'off')
    lines.push('', "This PostgreSQL runs with autovacuum off, so the bench ran VACUUM ANALYZE on the run's database before every run (A and B alike), as autovacuum would have between them.");
  if (report.profiled)
    lines.push('', '**This run was profiled (--profile): the Parley figures are slowed by the profiler and not comparable.**');
  lines.push('');
  lines.push(
    `Each figure was measured on Parley and on its baseline alternately (A B A B …), ${report.rounds} round(s) each; ` +
      `cells are min / **median** / max over the rounds, ratio = Parley median ÷ baseline median. ` +
      `The whole run took ${Math.floor(report.durationSec / 60)} min ${report.durationSec % 60} s. See bench/README.md for what each figure means.`,
  );
  lines.push('');
  lines.push('| Scenario | Figure | Unit | Parley | Baseline | Ratio | Target | Met |');
  lines.push('| --- | --- | --- | --- | --- | --- | --- | --- |');
  let last = null;
  for (const row of report.rows) {
    const scenario = row.scenario === last ? '' : row.scenario;
    last = row.scenario;
    const ratio = row.ratio === null ? '—' : `${row.ratio.toFixed(2)}×`;
    const met = row.met === null ? '' : row.met ? 'yes' : '**no**';
    const figure = row.note ? `${row.figure} (${row.note})` : row.figure;
    lines.push(
      `| ${scenario} | ${figure} | ${row.unit} | ${cell(row.parley, row.unit)} | ${cell(row.baseline, row.unit)} | ${ratio} | ${row.target} | ${met} |`,
    );
  }
  lines.push('');
  lines.push(
    'Baselines: 1, 2: a minimal Socket.IO server (bench/baselines/socketio-server.mjs, same options, same rooms, no auth or persistence); ',
  );
  lines.push(
    '3: the same INSERT with the per-channel seq update, one row per transaction, by a plain `pg` pool of 10 at the same concurrency; ',
  );
  lines.push(
    '4: two minimal servers on @socket.io/redis-adapter; 5: the raw history SQL through a `pg` pool of 10, and the minimal server answering `sync` with raw SQL; ',
  );
  lines.push(
    '6: not a baseline but the same app on Express (createApp, and the bare set-up of bench/lib/platform-main.cjs), the Parley column being it on Fastify; ',
  );
  lines.push(
    '7: Parley itself with sends alone; 8: `cp` of the same file on the same disk, and a raw S3 PUT (lib-storage Upload) to the same s3rver; for server RSS growth, the file size.',
  );
  if (report.cpu?.length) {
    lines.push('');
    lines.push(
      'CPU during the measured windows, in cores (2 = the whole machine), median of the rounds: server process(es) / PostgreSQL / Redis / load generator; "others" is the rest of the machine\'s busy time (processes outside the bench: noise).',
    );
    lines.push('');
    lines.push(
      '| Scenario | Window | Parley: server / pg / redis / load | others | Baseline: server / pg / redis / load | others |',
    );
    lines.push('| --- | --- | --- | --- | --- | --- |');
    const c = (x) => (x === null || x === undefined ? '—' : x.toFixed(2));
    const cpuCell = (v) =>
      v ? [`${v.servers.map(c).join('+') || '—'} / ${c(v.postgres)} / ${c(v.redis)} / ${c(v.client)}`, c(v.others)] : ['—', '—'];
    for (const row of report.cpu)
      lines.push(
        `| ${row.scenario} | ${row.window} | ${cpuCell(row.parley).join(' | ')} | ${cpuCell(row.baseline).join(' | ')} |`,
      );
  }
  if (report.diagnostics?.length) {
    lines.push('');
    lines.push(
      'Diagnostics (not alternated; transactions are pg_stat_database.xact_commit growth ÷ operations on one fresh Parley instance, its start-up and shut-down taken off):',
    );
    lines.push('');
    for (const d of report.diagnostics) lines.push(`- ${d.label}: **${d.value.toLocaleString('en-US')}** (${d.detail})`);
  }
  const missed = report.rows.filter((row) => row.met === false);
  lines.push('');
  lines.push(
    missed.length
      ? `Targets missed: ${missed.map((row) => `${row.scenario.split(' ')[0]} "${row.figure}"`).join('; ')}.`
      : 'Every target named in issue 6 was met.',
  );
  lines.push('');
  return lines.join('\n');
}
