#![cfg(not(target_arch = "wasm32"))]
//! Every lesson under static/lessons/ is checked against the real engine: it parses, has 5
//! to 12 steps, every step's run replays, every task is achievable by its solution and not
//! already done when its step opens, stepping back and forth lands on identical states, every
//! fact a step's text states holds in its run, and every control it names is in the catalogues.
//!
//! `LESSON_TRACE=1 cargo test --test lessons -- --nocapture` prints each step's state, which
//! is how lesson authors find the moments and node numbers their text talks about.

use faultline::content::lesson::{self, Baseline, Goal, Lesson, LessonMode, STEPS_MAX, STEPS_MIN};
use faultline::sim::raft::checks::Property;
use faultline::sim::raft::RaftHistory;
use faultline::sim::raft::Timer;
use faultline::sim::Simulation;
use std::path::{Path, PathBuf};

const DIR: &str = concat!(env!("CARGO_MANIFEST_DIR"), "/static/lessons");

fn lesson_files() -> Vec<PathBuf> {
    let mut files: Vec<PathBuf> = std::fs::read_dir(DIR)
        .expect("static/lessons exists")
        .map(|e| e.expect("readable entry").path())
        .filter(|p| p.extension().is_some_and(|e| e == "json"))
        .filter(|p| p.file_name().is_some_and(|n| n != "index.json"))
        .collect();
    files.sort();
    files
}

fn load(path: &Path) -> Lesson {
    let name = path.file_name().and_then(|n| n.to_str()).unwrap_or("?");
    let text = std::fs::read_to_string(path).expect("readable lesson");
    Lesson::parse(name, &text).unwrap_or_else(|e| panic!("{e}"))
}

fn tracing() -> bool {
    std::env::var_os("LESSON_TRACE").is_some()
}

/// Everything the page shows of a run, as text: equal fingerprints mean equal pictures.
fn fingerprint(sim: &Simulation) -> String {
    let mut out = format!("t={} events={}\n", sim.now_us(), sim.events_processed());
    for n in sim.nodes() {
        match &n.process {
            Some(r) => out.push_str(&format!(
                "S{} {:?} term={} vote={:?} last={} commit={} applied={} kv={:?} timer={:?}\n",
                n.id.0,
                r.role(),
                r.term(),
                r.voted_for(),
                r.log().last_index(),
                r.commit_index(),
                r.last_applied(),
                r.kv().data,
                n.timer(Timer::Election),
            )),
            None => out.push_str(&format!(
                "S{} down (recovering: {})\n",
                n.id.0,
                n.recovery.is_some()
            )),
        }
    }
    for f in sim.flights() {
        out.push_str(&format!(
            "{:?} {:?}->{:?} {:?}\n",
            f.id, f.from, f.to, f.deliver_us
        ));
    }
    out.push_str(&format!(
        "violations={:?} trace={}",
        sim.violations()
            .iter()
            .map(|v| v.property)
            .collect::<Vec<_>>(),
        sim.trace().len()
    ));
    out
}

fn short_state(sim: &Simulation) -> String {
    let logs = std::env::var("LESSON_TRACE").is_ok_and(|v| v == "logs");
    let mut out = format!("t={}ms", sim.now_us() / 1000);
    for n in sim.nodes() {
        match &n.process {
            Some(r) => out.push_str(&format!(
                " | S{} {:?} t{} last{} c{} {:?}{}",
                n.id.0,
                r.role(),
                r.term().0,
                r.log().last_index().0,
                r.commit_index().0,
                r.kv().data,
                if logs {
                    entries(r.log())
                } else {
                    String::new()
                }
            )),
            None => out.push_str(&format!(" | S{} down", n.id.0)),
        }
    }
    if !sim.violations().is_empty() {
        out.push_str(&format!(
            " | VIOLATED {:?}",
            sim.violations()
                .iter()
                .map(|v| v.property)
                .collect::<Vec<_>>()
        ));
    }
    out
}

/// A log as `[index:term:command ...]`, for `LESSON_TRACE=logs`.
fn entries(log: &faultline::sim::raft::log::RaftLog) -> String {
    use faultline::sim::raft::Command;
    let mut out = String::from(" [");
    for e in log.entries() {
        {
            let i = e.index;
            let cmd = match &*e.cmd {
                Command::Noop => "no-op".to_string(),
                Command::Put { key, value } => format!("{key}={value}"),
                other => format!("{other:?}"),
            };
            out.push_str(&format!("{}:{}:{cmd} ", i.0, e.term.0));
        }
    }
    out.push(']');
    out
}

#[test]
fn every_lesson_parses_with_five_to_twelve_steps() {
    let files = lesson_files();
    assert!(files.len() >= 17, "at least 17 lessons: {files:?}");
    for path in &files {
        let l = load(path);
        assert!(
            (STEPS_MIN..=STEPS_MAX).contains(&l.steps.len()),
            "{}: {} steps",
            l.id,
            l.steps.len()
        );
        assert!(!l.title.is_empty() && !l.summary.is_empty());
    }
}

#[test]
fn the_index_lists_every_lesson_with_its_title_and_mode() {
    let text = std::fs::read_to_string(format!("{DIR}/index.json")).expect("index.json");
    let index = lesson::parse_index("index.json", &text).unwrap_or_else(|e| panic!("{e}"));
    // The menu's order is the index's (lessons are taught in that order, not by file name,
    // so that a file keeps its name, and its links, when the lesson moves).
    let mut listed: Vec<&str> = index.iter().map(|e| e.file.as_str()).collect();
    listed.sort_unstable();
    let files = lesson_files();
    let names: Vec<&str> = files
        .iter()
        .filter_map(|p| p.file_name().and_then(|n| n.to_str()))
        .collect();
    assert_eq!(listed, names, "index.json lists every lesson file once");
    for entry in &index {
        let l = load(&Path::new(DIR).join(&entry.file));
        assert_eq!(entry.title, l.title, "{}", entry.file);
        assert_eq!(entry.mode, l.mode, "{}", entry.file);
    }
}

/// Replays every step of every lesson this build can run, and proves every task: the state
/// the step opens on does not satisfy it, and the solution makes it hold by its deadline.
#[test]
fn every_step_replays_and_every_task_is_achievable() {
    for path in lesson_files() {
        let l = load(&path);
        if l.mode == LessonMode::Ring {
            // Hash ring lessons are read beside the live ring page: their tasks and
            // predictions are proved from the page's ring as it opens.
            ring_tasks_are_achievable(&l);
            continue;
        }
        if l.mode.counts_live_events() {
            // So are retransmission and two-phase commit lessons, beside their live pages:
            // proved from the page's default run as a lesson opens it.
            live_tasks_are_achievable(&l);
            continue;
        }
        if tracing() {
            println!("== {} ({})", l.title, l.id);
        }
        for (i, step) in l.steps.iter().enumerate() {
            let h = step
                .history()
                .unwrap_or_else(|e| panic!("{} step {}: {e}", l.id, i + 1));
            assert_eq!(h.now_us(), step.at_us);
            if tracing() {
                println!("  step {} [{}] {}", i + 1, step.title, short_state(h.sim()));
            }
            if step.predict.is_some() {
                let (after, right) = lesson::judge(step)
                    .unwrap_or_else(|e| panic!("{} step {}: the prediction: {e}", l.id, i + 1));
                if tracing() {
                    println!(
                        "    predicted: choice {} holds: {}",
                        right + 1,
                        short_state(after.sim())
                    );
                }
            }
            let Some(task) = &step.task else { continue };
            let start = Baseline::of(h.sim());
            assert!(
                !task.goal.satisfied(&start, h.sim()),
                "{} step {}: the task {:?} is already done when the step opens",
                l.id,
                i + 1,
                task.goal
            );
            let solved = lesson::solve(step)
                .unwrap_or_else(|e| panic!("{} step {}: the solution fails: {e}", l.id, i + 1));
            if tracing() {
                println!("    solved {:?}: {}", task.goal, short_state(solved.sim()));
            }
            // The next step starts from the solution: unless it adds actions of its own, the
            // goal must still hold there, so its text describes the state the learner reached.
            if let Some(next) = l.steps.get(i + 1) {
                if next.scenario.settings == step.scenario.settings
                    && next.scenario.actions.len()
                        == step.scenario.actions.len() + task.solution.len()
                {
                    let after = next.history().expect("next step replays");
                    if tracing() {
                        println!("    next opens: {}", short_state(after.sim()));
                    }
                    assert!(
                        task.goal.satisfied(&start, after.sim()),
                        "{} step {}: the goal {:?} no longer holds when step {} opens",
                        l.id,
                        i + 1,
                        task.goal,
                        i + 2
                    );
                }
            }
        }
    }
}

/// Every lesson asks the learner to act at least once (a task) and to predict at least once
/// (issue 18: "tasks everywhere, and predictions").
#[test]
fn every_lesson_has_a_task_and_a_prediction() {
    for path in lesson_files() {
        let l = load(&path);
        assert!(
            l.steps.iter().any(|s| s.task.is_some()),
            "{}: no task",
            l.id
        );
        assert!(
            l.steps.iter().any(|s| s.predict.is_some()),
            "{}: no prediction",
            l.id
        );
    }
}

/// A ring lesson's tasks, in order, from the page's ring as it opens: none is done when its
/// step opens, each solution does it, and each prediction has exactly one right choice.
fn ring_tasks_are_achievable(l: &Lesson) {
    use faultline::content::lesson::ring::{page_ring, RingBaseline};
    let mut sim = page_ring().expect("the page's ring");
    for (i, step) in l.steps.iter().enumerate() {
        let start = RingBaseline::of(&sim);
        if let Some(task) = &step.task {
            let Goal::Ring(goal) = &task.goal else {
                panic!(
                    "{} step {}: a ring lesson's task has a ring goal",
                    l.id,
                    i + 1
                )
            };
            assert!(
                !goal.satisfied(&start, &sim),
                "{} step {}: already done",
                l.id,
                i + 1
            );
            for s in &task.ring_solution {
                s.apply(&mut sim)
                    .unwrap_or_else(|e| panic!("{} step {}: {e}", l.id, i + 1));
            }
            assert!(
                goal.satisfied(&start, &sim),
                "{} step {}: not done by its solution",
                l.id,
                i + 1
            );
        }
        if let Some(p) = &step.predict {
            let before = faultline::content::lesson::ring::owners(&sim).expect("owners");
            for s in &p.ring_then {
                s.apply(&mut sim)
                    .unwrap_or_else(|e| panic!("{} step {}: {e}", l.id, i + 1));
            }
            let right = p
                .judge_ring(&before, &sim)
                .unwrap_or_else(|e| panic!("{} step {}: the prediction: {e}", l.id, i + 1));
            if tracing() {
                println!("  ring step {}: choice {} holds", i + 1, right + 1);
            }
        }
    }
}

/// A live lesson's tasks and predictions (retransmission, two-phase commit), in order, from
/// the page's default run as the lesson opens it: no task is done when its step opens
/// (counting from that moment), each solution does it, and each prediction has exactly one
/// right choice once its `then` has run.
fn live_tasks_are_achievable(l: &Lesson) {
    use faultline::content::lesson::live::{LiveBaseline, LiveHistory, LiveRun};
    fn state(run: LiveRun) -> String {
        match run {
            LiveRun::Retransmit(sim) => {
                let c = sim.coverage();
                format!(
                    "t={}ms delivered={} lost={} resent={} backoffs={} duplicates_dropped={} buffered={} violations={}",
                    sim.now_us() / 1000,
                    c.delivered,
                    c.messages_dropped,
                    c.retransmissions,
                    c.backoffs,
                    c.duplicates_dropped,
                    c.buffered,
                    sim.violations().len()
                )
            }
            LiveRun::TwoPc(sim) => {
                let c = sim.coverage();
                format!(
                    "t={}ms commits={} aborts={} votes_no={} blocked={} waits_behind_prepared={} cooperative={} recoveries={}/{} resent={} presumed_aborts={} violations={}",
                    sim.now_us() / 1000,
                    c.commits,
                    c.aborts,
                    c.votes_no,
                    c.blocked,
                    c.lock_waits_behind_prepared,
                    c.cooperative_resolutions,
                    c.participant_recoveries,
                    c.coordinator_recoveries,
                    c.commits_resent_after_recovery,
                    c.presumed_aborts,
                    sim.violations().len()
                )
            }
            LiveRun::PrimaryBackup(sim) => {
                let c = sim.coverage();
                let checks = sim.checks();
                format!(
                    "t={}ms replies={} views={} failovers={} false_suspicions={} lost={} replays={} checkpoints={} fenced={} violations={}",
                    sim.now_us() / 1000,
                    c.client_replies,
                    c.views,
                    checks.failovers().len(),
                    checks.false_suspicions(),
                    checks.expected_losses().len(),
                    c.replays,
                    c.checkpoints,
                    c.fenced,
                    sim.violations().len()
                )
            }
            LiveRun::Paxos(sim) => {
                let c = sim.coverage();
                format!(
                    "t={}ms prepares={} promises={} adopted={} accepts={} learns={} preemptions={} long_streaks={} leaders={} reproposed={} replies={} violations={}",
                    sim.now_us() / 1000,
                    c.prepares,
                    c.promises,
                    c.adopted_values,
                    c.accepts,
                    c.learns,
                    c.preemptions,
                    c.long_streaks,
                    c.leaders,
                    c.reproposed_slots + c.noop_slots,
                    c.client_replies,
                    sim.violations().len()
                )
            }
        }
    }
    let mut history = LiveHistory::page_run(l.mode).expect("the page's live run");
    if tracing() {
        println!("== {} ({})", l.title, l.id);
    }
    for (i, step) in l.steps.iter().enumerate() {
        let place = format!("{} step {}", l.id, i + 1);
        if let Some(task) = &step.task {
            let Goal::Live(goal) = &task.goal else {
                panic!("{place}: a live lesson's task has a goal of its mode")
            };
            let mut start = LiveBaseline::of(history.run());
            assert!(
                !goal.satisfied(&start, history.run()),
                "{place}: {goal:?} is already done when the step opens"
            );
            for s in &task.live_solution {
                history
                    .apply(s, &mut start)
                    .unwrap_or_else(|e| panic!("{place}: {e}"));
            }
            assert!(
                goal.satisfied(&start, history.run()),
                "{place}: {goal:?} is not done by its solution: {}",
                state(history.run())
            );
            if tracing() {
                println!("  step {} solved {goal:?}: {}", i + 1, state(history.run()));
            }
        }
        if let Some(p) = &step.predict {
            let mut start = LiveBaseline::of(history.run());
            for s in &p.live_then {
                history
                    .apply(s, &mut start)
                    .unwrap_or_else(|e| panic!("{place}: {e}"));
            }
            let right = p
                .judge_live(&start, history.run())
                .unwrap_or_else(|e| panic!("{place}: the prediction: {e}"));
            if tracing() {
                println!(
                    "  step {}: choice {} holds: {}",
                    i + 1,
                    right + 1,
                    state(history.run())
                );
            }
        }
        // A run with a broken switch on may break a rule (that is what the lesson shows);
        // the real protocol never does.
        let (violations, first) = history.violations();
        assert!(
            violations == 0 || history.broken(),
            "{place}: the real protocol broke a rule: {first:?}"
        );
    }
}

/// Back and Next rebuild a step from its data alone: visiting the steps forwards, backwards
/// and forwards again gives identical states (the determinism the page's Back relies on).
#[test]
fn stepping_back_and_forth_reproduces_identical_states() {
    for path in lesson_files() {
        let l = load(&path);
        if l.mode.live() {
            continue;
        }
        let forward: Vec<String> = (0..l.steps.len())
            .map(|i| fingerprint(l.history_at(i).expect("replays").sim()))
            .collect();
        for i in (0..l.steps.len()).rev() {
            assert_eq!(
                fingerprint(l.history_at(i).expect("replays").sim()),
                forward[i],
                "{} step {}",
                l.id,
                i + 1
            );
        }
        // A step's run, reached by time travel inside one history, equals the rebuilt one.
        let last = l.steps.len() - 1;
        let mut h: RaftHistory = l.history_at(last).expect("replays");
        for (i, step) in l.steps.iter().enumerate() {
            if step.scenario.settings == l.steps[last].scenario.settings
                && step.scenario.actions.len() <= l.steps[last].scenario.actions.len()
                && l.steps[last].scenario.actions[..step.scenario.actions.len()]
                    == step.scenario.actions[..]
                && l.steps[last].scenario.actions[step.scenario.actions.len()..]
                    .iter()
                    .all(|a| a.at_us > step.at_us)
            {
                h.seek(step.at_us);
                assert_eq!(
                    fingerprint(h.sim()),
                    forward[i],
                    "{} step {} by seeking",
                    l.id,
                    i + 1
                );
            }
        }
    }
}

/// Lesson 5 (Raft paper, section 5.4.2 and Figure 8): with the broken-Raft switch, the live
/// checks fire in the lesson's own run; without it, the same actions are safe.
#[test]
fn the_figure_8_lesson_makes_the_safety_alarm_fire() {
    let path = lesson_files()
        .into_iter()
        .find(|p| p.to_string_lossy().contains("figure-8"))
        .expect("the Figure 8 lesson");
    let l = load(&path);
    let violated = l
        .steps
        .iter()
        .position(|s| {
            s.task
                .as_ref()
                .is_some_and(|t| t.goal == Goal::SafetyViolated)
        })
        .expect("a step whose task is to make the alarm fire");
    let solved = lesson::solve(&l.steps[violated]).expect("the alarm fires");
    assert!(solved
        .sim()
        .violations()
        .iter()
        .any(|v| v.property == Property::LeaderCompleteness));
    assert!(
        l.steps[violated]
            .scenario
            .settings
            .raft
            .bugs
            .commit_previous_term_by_count
    );
    // The lesson's last steps replay the same actions with real Raft: no violation.
    let last = l.steps.last().expect("steps");
    assert!(!last.scenario.settings.raft.bugs.any());
    let h = last.history().expect("replays");
    assert!(
        h.sim().violations().is_empty(),
        "{:?}",
        h.sim().violations()
    );
}

/// A truncated or corrupted lesson file is an error that names the file, never a panic: the
/// page shows the message and keeps working.
#[test]
fn damaged_lesson_files_give_errors_not_panics() {
    let path = &lesson_files()[0];
    let text = std::fs::read_to_string(path).expect("readable lesson");
    // Every cut before the closing brace (cutting only trailing white space leaves it whole).
    let boundaries: Vec<usize> = (0..text.trim_end().len())
        .filter(|i| text.is_char_boundary(*i))
        .step_by(5)
        .collect();
    for &cut in &boundaries {
        let e = Lesson::parse("cut.json", &text[..cut]).expect_err("a truncated file is refused");
        assert!(e.starts_with("cut.json: "), "{e}");
    }
    for &at in boundaries.iter().step_by(3) {
        for replacement in ["\"", "}", "9", "-", "\\"] {
            let mut damaged = text.clone();
            let end = (at + 1..=text.len())
                .find(|i| text.is_char_boundary(*i))
                .unwrap_or(text.len());
            damaged.replace_range(at..end, replacement);
            let _ = Lesson::parse("damaged.json", &damaged);
        }
    }
}

/// Every lesson has a translation for each language, in step with it (same steps, paragraphs
/// and tasks), and the translated lesson list names the same files in the same order.
#[test]
fn every_lesson_is_translated_in_step() {
    use faultline::content::lesson::translation::{translate, TRANSLATIONS};
    for lang in TRANSLATIONS {
        for path in lesson_files() {
            let mut lesson = load(&path);
            let file = path.file_name().and_then(|n| n.to_str()).unwrap_or("?");
            let name = format!("{lang}/{file}");
            let text = std::fs::read_to_string(Path::new(DIR).join(&name))
                .unwrap_or_else(|e| panic!("{name}: {e}"));
            translate(&mut lesson, &name, &text).unwrap_or_else(|e| panic!("{e}"));
            assert!(
                !lesson.title.is_ascii(),
                "{name}: the title is still in English"
            );
        }
        let index = |p: &str| {
            let text = std::fs::read_to_string(Path::new(DIR).join(p)).expect("readable index");
            lesson::parse_index(p, &text).unwrap_or_else(|e| panic!("{e}"))
        };
        let english = index("index.json");
        let translated = index(&format!("{lang}/index.json"));
        let files = |list: &[lesson::IndexEntry]| {
            list.iter()
                .map(|e| (e.file.clone(), e.mode))
                .collect::<Vec<_>>()
        };
        assert_eq!(files(&translated), files(&english), "{lang}/index.json");
    }
}

/// The lesson text and task of every step in every language, with where it is from.
fn every_text() -> Vec<(String, String)> {
    use faultline::content::lesson::translation::{translate, TRANSLATIONS};
    let mut out = Vec::new();
    for path in lesson_files() {
        let file = path
            .file_name()
            .and_then(|n| n.to_str())
            .unwrap_or("?")
            .to_string();
        let english = load(&path);
        let mut versions = vec![(file.clone(), english.clone())];
        for lang in TRANSLATIONS {
            let name = format!("{lang}/{file}");
            let text = std::fs::read_to_string(Path::new(DIR).join(&name)).expect("translation");
            let mut l = english.clone();
            translate(&mut l, &name, &text).unwrap_or_else(|e| panic!("{e}"));
            versions.push((name, l));
        }
        for (name, l) in versions {
            out.push((format!("{name}: summary"), l.summary.clone()));
            for (i, s) in l.steps.iter().enumerate() {
                for p in &s.text {
                    out.push((format!("{name} step {}", i + 1), p.clone()));
                }
                if let Some(t) = &s.task {
                    out.push((format!("{name} step {} task", i + 1), t.text.clone()));
                }
            }
        }
    }
    out
}

/// A step names a control by its catalogue key (`{ui:controls.crash}`), which the page shows
/// in the learner's language: every key named exists in every catalogue, so a lesson can
/// never tell the learner to press a button the page does not have.
#[test]
fn every_control_a_lesson_names_is_in_the_catalogues() {
    use faultline::content::lesson::labels;
    use faultline::i18n::{Catalogue, EN_PAXOS_TEXT, EN_PB_TEXT, EN_TEXT};
    const ZH_TEXT: &str = include_str!("../static/i18n/zh.txt");
    // English is three files: the Paxos and primary-backup modes' words are compiled in with
    // those modes only.
    let english = Catalogue::parse(EN_TEXT).expect("en.txt");
    let english_paxos = Catalogue::parse(EN_PAXOS_TEXT).expect("en-paxos.txt");
    let english_pb = Catalogue::parse(EN_PB_TEXT).expect("en-pb.txt");
    let chinese = Catalogue::parse(ZH_TEXT).expect("zh.txt");
    let mut named = 0;
    for (place, text) in every_text() {
        for key in labels::keys(&text) {
            named += 1;
            assert!(
                english
                    .get(key)
                    .or_else(|| english_paxos.get(key))
                    .or_else(|| english_pb.get(key))
                    .is_some(),
                "{place}: no label `{key}` in the English catalogues"
            );
            assert!(
                chinese.get(key).is_some(),
                "{place}: no label `{key}` in the Chinese catalogue"
            );
        }
    }
    assert!(
        named > 40,
        "lessons name their controls by key ({named} found)"
    );
}

/// The step's words in every language: title, paragraphs and task, joined.
fn step_words(path: &Path) -> Vec<(String, Vec<String>)> {
    use faultline::content::lesson::translation::{translate, TRANSLATIONS};
    let file = path.file_name().and_then(|n| n.to_str()).unwrap_or("?");
    let english = load(path);
    let mut versions = vec![(file.to_string(), english.clone())];
    for lang in TRANSLATIONS {
        let name = format!("{lang}/{file}");
        let text = std::fs::read_to_string(Path::new(DIR).join(&name)).expect("translation");
        let mut l = english.clone();
        translate(&mut l, &name, &text).unwrap_or_else(|e| panic!("{e}"));
        versions.push((name, l));
    }
    versions
        .into_iter()
        .map(|(name, l)| {
            let words = l
                .steps
                .iter()
                .map(|s| {
                    let mut w = s.title.clone();
                    for p in &s.text {
                        w.push('\n');
                        w.push_str(p);
                    }
                    if let Some(t) = &s.task {
                        w.push('\n');
                        w.push_str(&t.text);
                    }
                    w
                })
                .collect();
            (name, words)
        })
        .collect()
}

/// Every fact a step states (its `facts`: a leader, a term, an index, an entry, a default of
/// the page) holds in the step's replayed run, at the step's moment or the earlier moment the
/// fact names, and the step's text in every language mentions it (its server, its number,
/// its command). A change to the simulation that shifts an index, or a run edited without
/// its text, fails here instead of silently making a lesson wrong (issue 18, W1).
#[test]
fn every_fact_a_step_states_holds_in_its_run() {
    let mut checked = 0;
    let mut wrong = Vec::new();
    for path in lesson_files() {
        let l = load(&path);
        let words = step_words(&path);
        for (i, step) in l.steps.iter().enumerate() {
            for fact in &step.facts {
                let place = format!("{} step {} fact {:?}", l.source, i + 1, fact.claim);
                for (name, texts) in &words {
                    for said in fact.stated() {
                        if !texts[i].contains(&said) {
                            wrong.push(format!("{place}: {name} does not say {said:?}"));
                        }
                    }
                }
                if !fact.needs_run() {
                    if let Err(e) = fact.check_default() {
                        wrong.push(format!("{place}: {e}"));
                    }
                    checked += 1;
                    continue;
                }
                assert!(
                    !l.mode.live(),
                    "{place}: ring and retransmission steps have no run"
                );
                // The run as the lesson continues it: the step's actions, then its task's.
                let mut scenario = step.scenario.clone();
                if let Some(t) = step.task.as_ref().filter(|_| fact.at_us > step.at_us) {
                    scenario.actions.extend(t.solution.iter().cloned());
                }
                scenario.actions.retain(|a| a.at_us <= fact.at_us);
                let h = lesson::replay(&scenario, fact.at_us)
                    .unwrap_or_else(|e| panic!("{place}: {e}"));
                if let Err(shows) = fact.check(h.sim()) {
                    wrong.push(format!("{place} does not hold: the run shows {shows}"));
                }
                checked += 1;
            }
        }
    }
    assert!(wrong.is_empty(), "{}", wrong.join("\n"));
    assert!(
        checked >= 60,
        "the lessons state their facts ({checked} checked)"
    );
}

/// A link made before a lesson gained steps opens the step it named then: lessons 8 and 9
/// gained steps in revision 2, and their earlier links have no `lv`.
#[test]
fn old_step_links_open_the_step_they_named() {
    let lessons = Path::new(env!("CARGO_MANIFEST_DIR")).join("static/lessons");
    let quorums = load(&lessons.join("08-quorums.json"));
    assert_eq!(quorums.revision, 2);
    // Revision 1's steps, by title, and where each old link lands now.
    let old_08 = [
        "N copies on the ring",
        "Write to W, read from R",
        "R + W > N",
        "Lose a server",
        "Sloppy quorum and hinted handoff",
        "Quorums here and in Raft",
    ];
    for (old, title) in old_08.iter().enumerate() {
        let now = quorums.step_of_link(old, 1);
        assert_eq!(quorums.steps[now].title, *title, "08 step {}", old + 1);
        assert_eq!(
            quorums.step_of_link(now, 2),
            now,
            "a current link is taken as it is"
        );
    }
    let availability = load(&lessons.join("09-availability.json"));
    let old_09 = [
        "Up means: a majority is up",
        "Lose one of three",
        "Lose two of three",
        "Four servers",
        "Two of four is not enough",
        "Five servers",
    ];
    for (old, title) in old_09.iter().enumerate() {
        let now = availability.step_of_link(old, 1);
        assert_eq!(availability.steps[now].title, *title, "09 step {}", old + 1);
    }
    // Revision 1's last step ("The fine print: independence") is the last step still.
    assert_eq!(
        availability.step_of_link(6, 1),
        availability.steps.len() - 1
    );
}
