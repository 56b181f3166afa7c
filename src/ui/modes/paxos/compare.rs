//! Raft beside Paxos on the run the learner sees: each Raft idea, the Paxos idea it maps to,
//! and what this run shows of it now (the highest ballot, the phase 1 and phase 2 messages
//! counted, the slots chosen, the values a proposer adopted from promises).

use super::view::PaxosView;
use crate::sim::paxos::Variant;
use crate::ui::i18n::{t, tf, tx};
use yew::prelude::*;

/// One row: the hook's name, the Raft side, the Paxos side and this run's value.
fn row(id: &'static str, raft: &'static str, paxos: &'static str, live: String) -> Html {
    html! {
        <tr data-compare={id}>
            <td>{ raft }</td>
            <td>{ paxos }</td>
            <td class="px-live" data-testid="px-compare-live">{ live }</td>
        </tr>
    }
}

pub fn compare_table(v: &PaxosView) -> Html {
    let c = &v.counts;
    let ballot = v.highest_ballot.map_or_else(
        || t("px.compare.no_ballot").to_string(),
        |b| tf("px.compare.ballot_live", &[("ballot", &b)]),
    );
    html! {
        <div class="card px-panel px-compare" data-testid="px-compare">
            <h2>{ tx("px.compare.title") }</h2>
            <p class="muted">{ tx("px.compare.hint") }</p>
            <div class="px-scroll">
                <table class="px-table">
                    <thead><tr>
                        <th scope="col">{ tx("px.compare.raft") }</th>
                        <th scope="col">{ tx("px.compare.paxos") }</th>
                        <th scope="col">{ tx("px.compare.this_run") }</th>
                    </tr></thead>
                    <tbody>
                        { row("term", t("px.compare.term_raft"), t("px.compare.term_paxos"), ballot) }
                        { row("election", t("px.compare.election_raft"), t("px.compare.election_paxos"),
                            tf("px.compare.election_live", &[("prepares", &c.prepares), ("promises", &c.promises), ("leaders", &c.leaders)])) }
                        { row("append", t("px.compare.append_raft"), t("px.compare.append_paxos"),
                            tf("px.compare.append_live", &[("proposals", &c.proposals), ("accepts", &c.accepts)])) }
                        { row("commit", t("px.compare.commit_raft"), t("px.compare.commit_paxos"),
                            tf("px.compare.commit_live", &[("chosen", &c.chosen)])) }
                        { row("completeness", t("px.compare.complete_raft"), t("px.compare.complete_paxos"),
                            if v.variant() == Variant::Single {
                                tf("px.compare.complete_live_single", &[("adopted", &c.adopted)])
                            } else {
                                tf("px.compare.complete_live", &[("adopted", &c.adopted), ("noops", &c.noops)])
                            }) }
                    </tbody>
                </table>
            </div>
        </div>
    }
}
