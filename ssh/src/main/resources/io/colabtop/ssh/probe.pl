# colabtop's probe, the long-lived reader: the same frame protocol as probe.sh, byte for byte the
# same sections, escapes and bounds, in one perl process that forks nothing on a plain tick (perl-base
# is on every Debian and Ubuntu image). probe.sh starts it when the host has perl: it reads this
# program from stdin (after probe.sh, behind its own length line), runs it with eval, and takes over
# again itself only when this never said hello (a perl too old to compile it, say).
# A tick of the sh probe forks ~9 times (sed, sort, head) and reads the ranking byte by byte; here a
# tick is open/read/close of the same /proc files and one write of the frame.
#
# Escaping, as `LC_ALL=C sed -n 'F;s/^/|/;l 0'` prints it (SedListing decodes it): for each line of
# a file, the file's name, then "|" + the line with \\, \a \b \f \n \r \t \v and \ooo for every other
# byte outside printable ASCII, + "$". No data line starts with "@@ct:", whatever a process chose.
# Bounds as probe.sh: a command line's first 4 lines, each cut at 4096 bytes (read no further than
# that); nvidia-smi's lines cut at 1024, 64 and 256 of them; oomctl 2000 lines; the kill log 400
# lines of 2048 bytes.
#
# Ranking (every pid's oom_score: most of a tick's reads) is redone every RANK_EVERY ticks and
# when MemAvailable moved by a 64th of MemTotal since the last ranking; in between the last
# ranking's pids are read afresh (the client orders them by the fresh oom_score), less those that
# exited. Their command line, cgroup and status's Name and Uid are read at the ranking (and again
# for a reused pid); stat, oom_score, oom_score_adj and the resident size (statm, as status's VmRSS
# line) every tick.
use strict;
no warnings;
use POSIX ();

our $hello;
my $RANK_EVERY = 10;
my $RANK_MOVED_PARTS = 64;    # MemAvailable moved by 1/64 of MemTotal

my $top = $ARGV[1];
$top = 20 unless defined $top && $top =~ /\A[0-9]+\z/;

my %ESC = map { (chr($_) => sprintf('\\%03o', $_)) } (0 .. 31, 127 .. 255);
@ESC{ ("\\", "\a", "\b", "\f", "\n", "\r", "\t", "\x0b") } = ('\\\\', '\a', '\b', '\f', '\n', '\r', '\t', '\v');

# "|" + the line escaped + "$", one output line
sub esc {
    my ($s) = @_;
    $s =~ s/([\\\x00-\x1f\x7f-\xff])/$ESC{$1}/g;
    return "|$s\$\n";
}

# The whole file, or undef when it cannot be opened (a process that exited). Raw descriptors
# (POSIX::open/read): a perl handle costs an lseek and an ioctl more per file, and a tick opens ~130.
# A short read is the end: /proc files (seq_file, cmdline) fill the buffer until they end.
sub slurp {
    my ($path) = @_;
    my $fd = POSIX::open($path, 0);
    return undef unless defined $fd;
    my $data = '';
    while (1) {
        my $chunk;
        my $n = POSIX::read($fd, $chunk, 65536);
        last unless $n;
        $data .= $chunk;
        last if $n < 65536;
    }
    POSIX::close($fd);
    return $data;
}

# A file's lines as sed sees them: split on \n, the last one even without its \n, none for an empty file.
sub lines_of {
    my ($data) = @_;
    return () unless defined $data && length $data;
    my @l = split /\n/, $data, -1;
    pop @l if $l[-1] eq '';
    return @l;
}

# The first $max lines of a file, each cut at $cut bytes, reading no more of it than that takes.
sub capped_lines {
    my ($path, $max, $cut) = @_;
    my $fd = POSIX::open($path, 0);
    return () unless defined $fd;
    my (@l, $buf);
    my $cur = '';
    my $open = 0;    # a line has begun (bytes read since the last \n)
    while (@l < $max) {
        my $n = POSIX::read($fd, $buf, 65536);
        last unless $n;
        my $at = 0;
        while (@l < $max) {
            my $nl = index($buf, "\n", $at);
            my $end = $nl < 0 ? length $buf : $nl;
            if (length $cur < $cut) {
                $cur .= substr($buf, $at, $end - $at);
                $cur = substr($cur, 0, $cut) if length $cur > $cut;
            }
            $open = 1 if $end > $at;
            last if $nl < 0;
            push @l, $cur;
            $cur = '';
            $open = 0;
            $at = $nl + 1;
        }
        last if $n < 65536;
    }
    push @l, $cur if $open && @l < $max;
    POSIX::close($fd);
    return @l;
}

# A command's path on PATH, as `command -v` finds it; undef when absent.
sub which {
    my ($cmd) = @_;
    for my $d (split /:/, (defined $ENV{PATH} ? $ENV{PATH} : ''), -1) {
        my $p = ($d eq '' ? '.' : $d) . "/$cmd";
        return $p if -f $p && -x _;
    }
    return undef;
}

my @to = which('timeout') ? ('timeout', '5') : ();

# A command's stdout (with its stderr when $both), stdin from /dev/null, and sh's $? for it:
# [output, rc]. Only on GPU hosts and the rare o/k ticks.
sub run_cmd {
    my ($both, @cmd) = @_;
    my $pid = open(my $fh, '-|');
    return ['', 127] unless defined $pid;
    if (!$pid) {
        open(STDIN, '<', '/dev/null');
        if ($both) { open(STDERR, '>&', \*STDOUT) } else { open(STDERR, '>', '/dev/null') }
        exec { $cmd[0] } @cmd;
        exit 127;
    }
    binmode $fh;
    local $/;
    my $out = <$fh>;
    close $fh;
    my $st = $?;
    my $rc = ($st & 127) ? 128 + ($st & 127) : $st >> 8;
    return [defined $out ? $out : '', $rc];
}

# What sh's "$(...)" keeps: NULs dropped, trailing newlines stripped.
sub subst {
    my ($s) = @_;
    $s =~ s/\0//g;
    $s =~ s/\n+\z//;
    return $s;
}

# "|...$" lines of a stream (no file names), the first $max lines each cut at $cut bytes.
sub escaped_stream {
    my ($text, $max, $cut) = @_;
    my $o = '';
    my $i = 0;
    for my $l (lines_of($text)) {
        last if ++$i > $max;
        $o .= esc(length $l > $cut ? substr($l, 0, $cut) : $l);
    }
    return $o;
}

sub first_line {
    my ($data) = @_;
    return '' unless defined $data;
    my $nl = index($data, "\n");
    return $nl < 0 ? $data : substr($data, 0, $nl);
}

my $kernel = first_line(slurp('/proc/sys/kernel/osrelease'));
my $os = '';
{
    # sh's `while IFS='=' read -r k v`: complete lines only, the last PRETTY_NAME wins
    my $rel = slurp('/etc/os-release');
    $rel = '' unless defined $rel;
    my $last = rindex($rel, "\n");
    for my $l ($last < 0 ? () : split(/\n/, substr($rel, 0, $last + 1))) {
        my ($k, $v) = split /=/, $l, 2;
        $os = (defined $v ? $v : '') if defined $k && $k eq 'PRETTY_NAME';
    }
}
my $boot = first_line(slurp('/proc/sys/kernel/random/boot_id'));
my $smi = which('nvidia-smi');

my @ranked;    # [oom_score, rss_pages, pid, line] of the last ranking, next victim first
# Per ranked pid, what rarely changes, read at the ranking and kept until the next one:
# [start time, cmdline's listing, cgroup's listing]; a new start time (a reused pid) reads them again.
my %steady;
my $ranked_at_avail;
my $ticks = 0;

# (MemTotal, MemAvailable) in kB
sub mem_figures {
    my ($meminfo) = @_;
    return ($meminfo =~ /^MemTotal:\s+([0-9]+)/m ? $1 : 0, $meminfo =~ /^MemAvailable:\s+([0-9]+)/m ? $1 : 0);
}

# The start of a small /proc file (oom_score, statm), or undef.
sub first_number {
    my ($path) = @_;
    my $fd = POSIX::open($path, 0);
    return undef unless defined $fd;
    my $data;
    POSIX::read($fd, $data, 256);
    POSIX::close($fd);
    return undef unless defined $data;
    return $data;
}

# The next victims: every pid's oom_score, then statm (resident pages) only for those that can
# still make the top (a score at or over the cut): most of a host's processes are never read twice.
sub rank {
    my (@all, $fd, $buf);
    opendir(my $d, '/proc') or return ();
    # inline open/read/close: this loop runs for every process on the host
    for my $e (grep { /\A[0-9]+\z/ } readdir $d) {
        $fd = POSIX::open("/proc/$e/oom_score", 0);
        next unless defined $fd;
        $buf = undef;
        POSIX::read($fd, $buf, 64);
        POSIX::close($fd);
        push @all, [$1, undef, $e] if defined $buf && $buf =~ /\A([0-9]+)/;
    }
    closedir $d;
    @all = sort { $b->[0] <=> $a->[0] } @all;
    my $cut = @all > $top ? $all[$top - 1][0] : -1;
    my @top;
    for my $p (@all) {
        last if $p->[0] < $cut;
        $fd = POSIX::open("/proc/$p->[2]/statm", 0);
        next unless defined $fd;
        my $m;
        POSIX::read($fd, $m, 256);
        POSIX::close($fd);
        my @f = split ' ', (defined $m ? $m : '');
        next unless @f >= 2;
        $p->[1] = $f[1];
        $p->[3] = "$p->[0] $f[1] $p->[2]";
        push @top, $p;
    }
    # sort -k1,1nr -k2,2nr, then the whole line as sort's last resort
    @top = sort { $b->[0] <=> $a->[0] || $b->[1] <=> $a->[1] || $a->[3] cmp $b->[3] } @top;
    splice(@top, $top) if @top > $top;
    return @top;
}

sub listed {
    my ($path, $lines) = @_;
    my $o = '';
    $o .= "$path\n" . esc($_) for @$lines;
    return $o;
}

sub oomd {
    my $o = "\@\@ct:oomd\n";
    my $st = '';
    $st = subst(run_cmd(0, @to, 'systemctl', 'is-active', 'systemd-oomd')->[0]) if which('systemctl');
    $st = 'absent' unless $st =~ /\A[a-z-]+\z/;
    $o .= "$st\n";
    if ($st eq 'active' && which('oomctl')) {
        $o .= escaped_stream(run_cmd(1, @to, 'oomctl', '--no-pager', 'dump')->[0], 2000, 1024);
    }
    return $o;
}

# The end of a file, as `tail -c $n`.
sub tail_bytes {
    my ($path, $n) = @_;
    sysopen(my $fh, $path, 0) or return '';
    my $size = -s $fh;
    sysseek($fh, $size - $n, 0) if defined $size && $size > $n;
    my $data = '';
    while (1) {
        my $got = sysread($fh, $data, 1 << 20, length $data);
        last unless $got;
        last if length $data >= $n;
    }
    close $fh;
    return length $data > $n ? substr($data, -$n) : $data;
}

# As probe.sh's oomlog: which source, why the others were passed over, the last 400 matching lines.
sub oomlog {
    my $o = "\@\@ct:oomsrc\n";
    my $btime = join("\n", map { /^btime (.*)/ ? ($1) : () } lines_of(slurp('/proc/stat')));
    $o .= 'clock ' . time() . ' ' . POSIX::strftime('%z', localtime) . " $btime\n";
    my $src = 'none';
    my $log = '';
    if (!which('journalctl')) {
        $o .= "tried journal none\n";
    } elsif (length subst(run_cmd(0, @to, 'journalctl', '-k', '-b', '0', '-n', '1', '-q', '--no-pager', '-o', 'cat')->[0])) {
        $src = 'journal';
    } else {
        $o .= "tried journal empty\n";
    }
    if ($src eq 'none') {
        my $k = '/var/log/kern.log';
        if (!-e $k) { $o .= "tried kern.log absent\n" }
        elsif (!-r $k) { $o .= "tried kern.log unreadable\n" }
        elsif (!-s $k) { $o .= "tried kern.log empty\n" }
        else { $src = 'kern.log' }
    }
    if ($src eq 'none') {
        if (!which('dmesg')) {
            $o .= "tried dmesg absent\n";
        } else {
            my $r = run_cmd(0, 'dmesg');
            $r = run_cmd(0, 'sudo', '-n', 'dmesg') if $r->[1] != 0;
            if ($r->[1] == 0) { $src = 'dmesg'; $log = subst($r->[0]) . "\n" }
            else { $o .= "tried dmesg refused\n" }
        }
    }
    $o .= "source $src\n\@\@ct:oomlog\n";
    if ($src eq 'journal') {
        $log = run_cmd(0, @to, 'journalctl', '-q', '--no-pager', '-o', 'short-unix', '-n', '20000',
            '_TRANSPORT=kernel', '+', 'SYSLOG_IDENTIFIER=systemd-oomd',
            '+', 'MESSAGE_ID=fe6faa94e7774663a0da52717891d8ef', '+', 'MESSAGE_ID=d989611b15e44c9dbf31e3c81256e4ed',
            '+', 'MESSAGE_ID=d9b373ed55a64feb8242e02dbe79a49c')->[0];
    } elsif ($src eq 'kern.log') {
        $log = tail_bytes('/var/log/kern.log', 8388608);
        if (-r '/var/log/syslog') {
            my $sys = tail_bytes('/var/log/syslog', 8388608);
            $log .= join('', map { "$_\n" } grep { / systemd(-oomd)?\[[0-9]+\]: / } lines_of($sys));
        }
    }
    my @hits = grep {
        /invoked oom-killer|oom-kill:|Killed process|Kill process|killed by the OOM killer|oom-kill|systemd-oomd killed|for killing due to|Killed [^ ]+ due to/
    } lines_of($log);
    splice(@hits, 0, @hits - 400) if @hits > 400;
    $o .= esc(length $_ > 2048 ? substr($_, 0, 2048) : $_) for @hits;
    return $o;
}

# status: Name, Uid, VmRSS, as probe.sh's sed picks them (one pass over the text, not five
# matches a line); cgroup: the unified line (0::/user.slice/...) or a v1 host's name=systemd one,
# cut at 4096 bytes. The same rules for both files, as the one sed of probe.sh reads both.
sub picked_lines {
    my ($path) = @_;
    my $data = slurp($path);
    return '' unless defined $data;
    my $o = '';
    while ($data =~ /^(Name:|Uid:|VmRSS:|0::|[0-9]*:name=systemd:)([^\n]*)/mg) {
        my $l = "$1$2";
        $o .= "$path\n" . esc(substr($1, 0, 1) =~ /[0-9]/ ? substr($l, 0, 4096) : $l);
    }
    return $o;
}
sub cgroup_lines { return picked_lines($_[0]) }

my $PAGE_KB = (POSIX::sysconf(POSIX::_SC_PAGESIZE()) || 4096) / 1024;

# status's Name and Uid lines, read at the ranking (kept with the command line), and whether it
# has a VmRSS line at all (a kernel thread has none)
sub status_kept {
    my ($path) = @_;
    my $lines = picked_lines($path);
    my $rss = $lines =~ s/^\Q$path\E\n\|VmRSS:[^\n]*\n//m;
    return [$lines, $rss ? 1 : 0];
}

# The tick's VmRSS line of status, from statm's resident pages (the same counters the kernel sums
# for VmRSS: file + shmem + anon), printed as the kernel prints it ("VmRSS:\t%8lu kB"): a
# statm read is a quarter of what a status read costs (~3 against ~12 us a file on a slow /proc).
sub rss_line {
    my ($dir) = @_;
    my $statm = first_number("$dir/statm");
    return '' unless defined $statm;
    my @f = split ' ', $statm;
    return '' unless @f >= 2;
    return "$dir/status\n" . esc(sprintf("VmRSS:\t%8d kB", $f[1] * $PAGE_KB));
}

sub frame {
    my ($seq, $flags) = @_;
    my $o = "\@\@ct:begin $seq\n\@\@ct:kernel\n|$os $kernel\n\@\@ct:files\n";
    my $meminfo;
    for my $f ('/proc/meminfo', '/proc/swaps', '/proc/pressure/memory', '/proc/uptime') {
        my $text = slurp($f);
        $meminfo = $text if $f eq '/proc/meminfo';
        $o .= listed($f, [lines_of($text)]);
    }
    $o .= "\@\@ct:boot\n$boot\n\@\@ct:mounts\n";
    # FUSE mounts, and the oom_kill counter of /proc/vmstat, as the one sed of probe.sh picks them
    for my $f ('/proc/mounts', '/proc/vmstat') {
        for my $l (lines_of(slurp($f))) {
            $o .= "$f\n" . esc($l) if $l =~ /^oom_kill / || $l =~ / fuse\./;
        }
    }
    $o .= "\@\@ct:stat\n";
    for my $l (lines_of(slurp('/proc/stat'))) {
        last unless $l =~ /^cpu/;
        $o .= "/proc/stat\n" . esc($l);
    }
    $o .= "\@\@ct:passwd\n" . listed('/etc/passwd', [lines_of(slurp('/etc/passwd'))]) if $flags =~ /p/;

    my ($total, $avail) = mem_figures(defined $meminfo ? $meminfo : '');
    if ($ticks++ % $RANK_EVERY == 0 || !defined $ranked_at_avail
        || abs($avail - $ranked_at_avail) * $RANK_MOVED_PARTS >= $total) {
        @ranked = rank();
        $ranked_at_avail = $avail;
        %steady = ();
    }
    $o .= "\@\@ct:rank\n" . join("\n", map { $_->[3] } @ranked) . "\n";
    my ($files, $status) = ('', '');
    my @alive;
    for my $p (@ranked) {
        my $dir = "/proc/$p->[2]";
        my @stat = capped_lines("$dir/stat", 4, 4096);
        next unless @stat;    # gone: left out until the next ranking
        push @alive, $p;
        # the start time (field 22) tells a reused pid from the process ranked
        my $start = join(' ', @stat) =~ /.*\) (?:\S+ ){19}(\d+)/s ? $1 : '';
        my $kept = $steady{$p->[2]};
        if (!$kept || $kept->[0] ne $start) {
            $kept = [$start, listed("$dir/cmdline", [capped_lines("$dir/cmdline", 4, 4096)]), cgroup_lines("$dir/cgroup"),
                status_kept("$dir/status")];
            $steady{$p->[2]} = $kept;
        }
        $files .= listed("$dir/stat", \@stat);
        $files .= listed("$dir/oom_score", [capped_lines("$dir/oom_score", 4, 4096)]);
        $files .= listed("$dir/oom_score_adj", [capped_lines("$dir/oom_score_adj", 4, 4096)]);
        $files .= $kept->[1];
        $status .= $kept->[3][0] . ($kept->[3][1] ? rss_line($dir) : '') . $kept->[2];
    }
    @ranked = @alive;
    $o .= "\@\@ct:procfiles\n$files\@\@ct:procstatus\n$status";
    if ($smi) {
        my $r = run_cmd(1, @to, 'nvidia-smi',
            '--query-gpu=index,uuid,name,memory.total,memory.used,memory.free,utilization.gpu',
            '--format=csv,noheader,nounits');
        $o .= "\@\@ct:gpu\n" . escaped_stream(subst($r->[0]) . "\n", 64, 1024) . "\@\@ct:gpu-rc $r->[1]\n";
        my $apps = run_cmd(0, @to, 'nvidia-smi',
            '--query-compute-apps=gpu_uuid,pid,process_name,used_gpu_memory', '--format=csv,noheader,nounits');
        $o .= "\@\@ct:gpuapps\n" . escaped_stream($apps->[0], 256, 1024);
    }
    $o .= oomd() if $flags =~ /o/;
    $o .= oomlog() if $flags =~ /k/;
    return $o . "\@\@ct:end $seq\n";
}

sub put {
    my ($o) = @_;
    while (length $o) {
        my $n = syswrite(STDOUT, $o);
        exit 0 unless $n;
        substr($o, 0, $n) = '';
    }
}

$SIG{PIPE} = 'DEFAULT';
$hello = 1;
put("\@\@ct:hello colabtop-probe 1 perl\n");
while (defined(my $req = <STDIN>)) {
    chomp $req;
    $req =~ s/\A[ \t]+//;
    my ($seq, $flags) = split /[ \t]+/, $req, 2;
    exit 0 unless defined $seq && $seq =~ /\A[0-9]+\z/;
    put(frame($seq, defined $flags ? $flags : ''));
}
exit 0;
