//! The command-line parser every subcommand shares: `--flag value`, `--flag=value` and
//! `--switch`, checked against the flags a subcommand knows, with errors that name the flag.

#[derive(Debug)]
pub struct Args {
    /// Every value flag in the order given; a flag given twice appears twice.
    values: Vec<(String, String)>,
    switches: Vec<String>,
    pub positional: Vec<String>,
}

/// A flag a subcommand accepts: its name and whether it takes a value.
pub struct Flag(pub &'static str, pub bool);

impl Args {
    pub fn parse(args: &[String], known: &[Flag]) -> Result<Args, String> {
        let mut parsed = Args {
            values: Vec::new(),
            switches: Vec::new(),
            positional: Vec::new(),
        };
        let mut i = 0;
        while i < args.len() {
            let arg = &args[i];
            i += 1;
            let Some(body) = arg.strip_prefix("--") else {
                parsed.positional.push(arg.clone());
                continue;
            };
            let (name, inline) = match body.split_once('=') {
                Some((n, v)) => (n, Some(v.to_string())),
                None => (body, None),
            };
            let Some(Flag(_, takes_value)) = known.iter().find(|f| f.0 == name) else {
                let names: Vec<String> = known.iter().map(|f| format!("--{}", f.0)).collect();
                return Err(format!(
                    "unknown flag --{name} (known: {})",
                    names.join(", ")
                ));
            };
            if *takes_value {
                let value = match inline {
                    Some(v) => v,
                    None => {
                        let v = args
                            .get(i)
                            .ok_or_else(|| format!("--{name} needs a value"))?;
                        i += 1;
                        v.clone()
                    }
                };
                parsed.values.push((name.to_string(), value));
            } else if inline.is_some() {
                return Err(format!("--{name} takes no value"));
            } else {
                parsed.switches.push(name.to_string());
            }
        }
        Ok(parsed)
    }

    /// The value of flag `name`; the last one when it was given more than once.
    pub fn value(&self, name: &str) -> Option<&str> {
        self.values
            .iter()
            .rev()
            .find(|(n, _)| n == name)
            .map(|(_, v)| v.as_str())
    }

    /// Every value flag as (name without `--`, value), in the order given.
    pub fn given(&self) -> impl Iterator<Item = (&str, &str)> {
        self.values.iter().map(|(n, v)| (n.as_str(), v.as_str()))
    }

    pub fn switch(&self, name: &str) -> bool {
        self.switches.iter().any(|s| s == name)
    }

    /// A number flag, or `default` when absent; the error names the flag and the bad text.
    pub fn number<T: std::str::FromStr>(&self, name: &str, default: T) -> Result<T, String> {
        match self.value(name) {
            None => Ok(default),
            Some(text) => number(name, text),
        }
    }
}

/// Parses the value `text` of flag `--name` as a number; the error names the flag and the text.
pub fn number<T: std::str::FromStr>(name: &str, text: &str) -> Result<T, String> {
    text.parse()
        .map_err(|_| format!("--{name}: \"{text}\" is not a valid number"))
}

/// Parses a duration such as `60s`, `1500ms`, `2m` or a bare number of seconds into
/// microseconds.
pub fn duration_us(flag: &str, text: &str) -> Result<u64, String> {
    let bad = || format!("--{flag}: \"{text}\" is not a duration (try 60s, 1500ms or 2m)");
    let (digits, scale) = if let Some(v) = text.strip_suffix("ms") {
        (v, 1_000)
    } else if let Some(v) = text.strip_suffix("us") {
        (v, 1)
    } else if let Some(v) = text.strip_suffix('s') {
        (v, 1_000_000)
    } else if let Some(v) = text.strip_suffix('m') {
        (v, 60_000_000)
    } else {
        (text, 1_000_000)
    };
    let n: u64 = digits.parse().map_err(|_| bad())?;
    n.checked_mul(scale).ok_or_else(bad)
}

/// Parses a `--bug` name into protocol `P`'s broken switches.
pub fn bugs_from<P: crate::sim::fuzz::Fuzz>(name: Option<&str>) -> Result<P::Bugs, String> {
    match name {
        None => Ok(P::Bugs::default()),
        Some(name) => P::bug(name).ok_or_else(|| {
            format!(
                "--bug: unknown bug \"{name}\" for {} (known: {})",
                P::NAME,
                P::BUG_NAMES.join(", ")
            )
        }),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn strings(v: &[&str]) -> Vec<String> {
        v.iter().map(|s| s.to_string()).collect()
    }

    #[test]
    fn parses_values_switches_and_positionals() {
        let known = [Flag("seed", true), Flag("pre-vote", false)];
        let a = Args::parse(&strings(&["--seed", "4", "file", "--pre-vote"]), &known).unwrap();
        assert_eq!(a.number("seed", 0u64).unwrap(), 4);
        assert!(a.switch("pre-vote"));
        assert_eq!(a.positional, ["file"]);
        assert!(Args::parse(&strings(&["--sed", "4"]), &known)
            .unwrap_err()
            .contains("--sed"));
        assert!(Args::parse(&strings(&["--seed"]), &known)
            .unwrap_err()
            .contains("needs a value"));
        let a = Args::parse(&strings(&["--seed=x"]), &known).unwrap();
        assert!(a.number("seed", 0u64).unwrap_err().contains("--seed"));
    }

    #[test]
    fn a_repeated_flag_keeps_its_last_value_and_its_order() {
        let known = [Flag("add", true), Flag("remove", true)];
        let a = Args::parse(
            &strings(&["--add=1", "--remove", "2", "--add", "3"]),
            &known,
        )
        .unwrap();
        assert_eq!(a.value("add"), Some("3"));
        let given: Vec<_> = a.given().collect();
        assert_eq!(given, [("add", "1"), ("remove", "2"), ("add", "3")]);
    }

    #[test]
    fn durations() {
        assert_eq!(duration_us("d", "60s").unwrap(), 60_000_000);
        assert_eq!(duration_us("d", "1500ms").unwrap(), 1_500_000);
        assert_eq!(duration_us("d", "2m").unwrap(), 120_000_000);
        assert_eq!(duration_us("d", "3").unwrap(), 3_000_000);
        assert!(duration_us("d", "soon").is_err());
    }
}
