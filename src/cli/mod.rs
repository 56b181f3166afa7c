//! The native `faultline` command-line tool: runs, checks, fuzzes and benchmarks the same
//! simulation the page runs, without a browser.

mod args;
mod bench;
mod check;
mod fuzz;
mod protocols;
mod ring;
mod run;

pub use args::{bugs_from, duration_us, Args, Flag};

pub const HELP: &str = "\
faultline: run Faultline's simulated clusters headlessly

USAGE:
  faultline run [--protocol raft] --nodes N --seed S --duration 60s [--faults none|random]
                [--scenario FILE] [--trace FILE] [--clients N] [--pre-vote] [--check-quorum]
                [--bug NAME]
      Run a cluster, print a summary; exit 1 on any safety violation.
  faultline run --protocol retransmit --seed S [--duration 60s] [--faults none|random]
                [--trace FILE] [--pairs N] [--scheme stop-and-wait|go-back-n|selective-repeat]
                [--window N] [--ack cumulative|selective] [--rto adaptive|200ms]
                [--messages N] [--interval 20ms] [--loss-percent P] [--latency 10ms] [--bug NAME]
                [--scenario FILE] [--save-scenario FILE]
      Stream numbered messages over a lossy network; exit 1 on any violation (liveness
      included: every fault is healed by two thirds of the run). --save-scenario writes the
      run (settings and every action, random faults included) for --scenario to replay.
  faultline run --protocol ring --seed S [--duration 60s] [--faults none|random] [--trace FILE]
                [--nodes N] [--replication R] [--write-quorum W] [--read-quorum R] [--keys K]
                [--bug NAME]
      A Dynamo-style ring store under a workload; exit 1 on any violation (liveness
      included: every fault is healed by a third of the run).
  faultline run --protocol 2pc --seed S [--duration 60s] [--faults none|random] [--trace FILE]
                [--participants N] [--keys K] [--clients N] [--transactions N] [--lock-wait 300ms]
                [--loss-percent P] [--latency 10ms] [--bug NAME] [--coordinator single|raft3|raft5]
                [--scenario FILE] [--save-scenario FILE]
      Two-phase commit (presumed abort) of a coordinator and 2-5 participants under a
      workload; prints the counters (commits, aborts, blocked, cooperative resolutions,
      crashes by phase, ...); exit 1 on any violation (liveness included: every fault is
      healed by half the run). --coordinator raft3|raft5 puts the coordinator on a Raft group
      that replicates every decision before it is sent.
  faultline run --protocol paxos [--variant single|multi] --seed S [--duration 60s]
                [--faults none|random] [--trace FILE] [--nodes N] [--proposers N]
                [--retry-delay 2ms | 2ms-40ms] [--clients N] [--keys K] [--loss-percent P]
                [--latency 10ms] [--bug NAME]
      Single-decree Paxos (proposers 1..=N duel; a fixed retry delay can livelock them) or
      Multi-Paxos (a leader, clients on a key-value store); exit 1 on any violation.
  faultline run --protocol primary-backup [--replication hot|warm|cold] --seed S [--duration 60s]
                [--faults none|random] [--trace FILE] [--scenario FILE] [--save-scenario FILE]
                [--backups N] [--clients N] [--keys K]
                [--ping-interval 50ms] [--dead-timeout 250ms] [--lease 200ms]
                [--checkpoint-every N] [--replay-per-entry 2ms] [--crash-primary-at 3s]
                [--isolate-primary-at 3s] [--loss-percent P] [--latency 10ms] [--bug NAME]
      A view service, a primary and 1-4 backups (cold: standbys and shared storage) under a
      client load; prints each failover (detection, new view, first answer, writes lost) and
      warm mode's expected losses; exit 1 on any violation.
  faultline check [--protocol P] [--liveness] TRACE
      Re-check a trace file (JSON Lines) with its protocol's checks (read from the trace's
      kinds); exit 1 on any violation.
  faultline fuzz [--protocol raft|retransmit|ring|2pc|paxos|primary-backup] [--variant V]
                 --seeds K [--start S] [--nodes N] [--bug NAME]
                 [--safety 10s] [--liveness 10s] [--jobs N] [--expect-unsafe]
                 [--membership [--joint]]
      Random fault schedules on every core, then a healed phase that must recover; prints any
      failing seed with the command that reproduces it, and counters of what the search
      reached. With --expect-unsafe, succeeds at the first violation (to show the checks
      catch a --bug). Variants: paxos single|multi; 2pc single|raft3|raft5 (the coordinator);
      primary-backup hot|warm|cold. Raft --membership: spare servers added and removed among
      the faults (single-server changes; --joint: by joint consensus, paper section 6).
  faultline bench elections [--trials N] [--csv FILE]
      The Raft paper's section 9.3 experiment: time without a leader after a leader crash.
  faultline bench sim
      Simulated events per second (5 nodes under client load; 9 nodes with 10% loss).
  faultline bench recovery [--entries N] [--csv FILE]
      Recovery time and bytes written against the checkpoint interval, by running it.
  faultline bench retransmit [--csv FILE] [--svg FILE] [--messages N] [--seeds K]
                             [--latency 15ms | 10ms-20ms] [--rto-min 60ms] [--rto adaptive | 60ms]
      Goodput and retransmissions per delivered message of stop-and-wait, go-back-N and
      selective repeat at 0-30% loss; exit 1 if any run misses a message or breaks a check.
  faultline bench paxos [--seeds K]
      Messages and round trips per chosen command (single-decree and Multi-Paxos, 3/5/7 nodes),
      and how often duelling proposers livelock for 10 s with a fixed or a random retry delay.
  faultline bench 2pc [--seeds K]
      Commits per second, mean and p99 commit latency, and blocked participant-seconds per
      coordinator crash, for a single coordinator and for one on a Raft group of 3 and of 5.
  faultline bench failover [--seeds K] [--duration 120s] [--csv FILE] [--svg FILE]
      Per replication mode and failure-detection timeout (100-800 ms): mean detection time,
      unavailability per failover, acknowledged writes lost per failover, false suspicions per
      hour of simulated time; exit 1 if any run breaks a check.
  faultline ring --strategy S --nodes N --vnodes V --keys K (--add M | --remove M)
      Hash-ring placement statistics (strategies: modulo ring rendezvous jump maglev bounded).
  faultline --version | --help

Bugs (for lessons and for testing the checks): raft: commit-previous-term,
vote-without-log-check, forget-vote-on-restart; retransmit: no-duplicate-suppression,
forget-unacked-on-crash; ring: forget-range, ack-before-quorum; 2pc: decide-before-log,
forget-prepared-on-crash, commit-on-timeout, release-locks-at-prepare; paxos:
forget-promise-on-crash, ignore-promise-values, accept-lower-ballot; primary-backup: no-fencing,
no-lease, ack-before-forward.
";

/// Runs the command line (without the program name); returns the exit code.
pub fn main(args: &[String]) -> i32 {
    let result = match args.first().map(|s| s.as_str()) {
        None | Some("--help") | Some("-h") | Some("help") => {
            print!("{HELP}");
            Ok(0)
        }
        Some("--version") | Some("-V") | Some("version") => {
            println!("faultline {}", crate::VERSION);
            Ok(0)
        }
        Some("run") => run::main(&args[1..]),
        Some("check") => check::main(&args[1..]),
        Some("fuzz") => fuzz::main(&args[1..]),
        Some("bench") => bench::main(&args[1..]),
        Some("ring") => ring::main(&args[1..]),
        Some(other) => Err(format!(
            "unknown command \"{other}\"; see `faultline --help`"
        )),
    };
    match result {
        Ok(code) => code,
        Err(message) => {
            eprintln!("faultline: {message}");
            2
        }
    }
}
