//! What a change of the model asks the browser to do: the reducer returns these, and
//! `ui::platform::perform` is the one place that does them.

use crate::codec::scenario::Scenario;
use crate::ui::i18n::Lang;

#[derive(Clone, Debug, PartialEq)]
pub enum Effect {
    /// Put this URL in the address bar, without reloading or adding a history entry.
    ShowInAddressBar(String),
    /// Copy this text to the clipboard (browsers may refuse; the page shows it too).
    Copy(String),
    /// Open this URL in a new tab (an embedded widget's "open the full page").
    OpenInNewTab(String),
    /// Leave for this URL (the full page, for what the default page does not hold).
    Navigate(String),
    /// Offer this run as a scenario file download.
    Download(Box<Scenario>),
    /// Save the session (this address fragment) for the next load of the page.
    SaveSession(String),
    /// Show the page in this language (its catalogue may still be on its way).
    ChooseLang(Lang),
    /// Remember the learner's language for the next visit.
    RememberLang(Lang),
}
