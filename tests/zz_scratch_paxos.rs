use faultline::codec::json;
use faultline::content::lesson::paxos::{page_run, PxBaseline, PxStep};
use faultline::sim::protocol::Event;

fn run(steps: &[&str]) {
    let mut h = page_run().unwrap();
    let mut start = PxBaseline::of(h.sim());
    for s in steps {
        let step = PxStep::parse(&json::parse(s).unwrap()).unwrap();
        step.apply(&mut h, &mut start).unwrap();
        println!("-- after {s} t={}ms", h.now_us() / 1000);
    }
    for l in h.sim().trace() {
        if let Event::Protocol(n) = &l.event {
            println!("{:>6}ms {:?}", l.t / 1000, n);
        }
    }
    println!("{:?}", h.sim().coverage());
    println!("violations {:?}", h.sim().violations());
}

#[test]
fn scratch() {
    let steps: Vec<String> = std::env::var("STEPS").unwrap().split(';').map(|s| s.to_string()).collect();
    let refs: Vec<&str> = steps.iter().map(|s| s.as_str()).collect();
    run(&refs);
}
