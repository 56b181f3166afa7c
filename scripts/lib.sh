# shellcheck shell=bash
# Shared set-up for scripts/serve.sh and scripts/test.sh. Source it; it is not a command.
#
# Every ensure_* function is idempotent: it checks the version that is installed and installs only
# when the tool is missing or has the wrong version. What it cannot install, it names with the
# command a user would type, then stops the script (exit 1).
#
# Pinned versions live in one place each, and check_pins verifies they agree:
#   wasm-bindgen   Cargo.lock (exact), repeated in Trunk.toml [tools] wasm_bindgen
#   wasm-opt       package-lock.json (npm `binaryen`), repeated in Trunk.toml [tools] wasm_opt
#   trunk          0.21.x (0.22 needs rustc 1.96.1), also Trunk.toml `trunk-version`

FL_ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
FL_TRUNK_SERIES="0.21"
FL_WASM_TARGET="wasm32-unknown-unknown"

# Local npm tools (wasm-opt) first, then cargo-installed tools (trunk, wasm-bindgen).
export PATH="$FL_ROOT/node_modules/.bin:${CARGO_HOME:-$HOME/.cargo}/bin:$PATH"
# Trunk's background update check is network chatter that changes nothing here.
export TRUNK_SKIP_VERSION_CHECK=true
# Keep npm quiet about audits and funding; it still prints errors.
export npm_config_audit=false npm_config_fund=false npm_config_update_notifier=false

say() { printf '==> %s\n' "$*"; }
note() { printf '    %s\n' "$*"; }
warn() { printf 'warning: %s\n' "$*" >&2; }

# fail_setup MESSAGE [COMMAND...]: explains what is missing and the commands that fix it, then exits.
fail_setup() {
    printf 'error: %s\n' "$1" >&2
    shift
    if [ "$#" -gt 0 ]; then
        printf 'Run this, then run the script again:\n' >&2
        printf '    %s\n' "$@" >&2
    fi
    exit 1
}

# heads_up MINUTES WHAT: one line before an install that takes a while.
heads_up() { say "installing $2 (takes about $1 minutes on 2 cores; done once)"; }

is_root() { [ "$(id -u)" -eq 0 ]; }

# ---------------------------------------------------------------------------------------------
# Versions

# lock_version CRATE: the version of CRATE in Cargo.lock (the first, if several).
lock_version() {
    awk -v name="\"$1\"" '
        $1 == "name" && $3 == name { want = 1; next }
        want && $1 == "version" { gsub(/"/, "", $3); print $3; exit }
    ' "$FL_ROOT/Cargo.lock"
}

# trunk_tool_version KEY: the value of KEY = "..." in Trunk.toml (used for [tools]).
trunk_tool_version() {
    sed -n "s/^[[:space:]]*$1[[:space:]]*=[[:space:]]*\"\([^\"]*\)\".*/\1/p" "$FL_ROOT/Trunk.toml" | head -n 1
}

# npm_lock_version PACKAGE: the version of PACKAGE in package-lock.json.
npm_lock_version() {
    node -e '
        const lock = JSON.parse(require("fs").readFileSync(process.argv[1], "utf8"));
        const entry = (lock.packages || {})["node_modules/" + process.argv[2]];
        if (entry && entry.version) console.log(entry.version);
    ' "$FL_ROOT/package-lock.json" "$1"
}

# first_line COMMAND...: the first line COMMAND prints, or nothing if it fails or is missing.
first_line() { "$@" 2>/dev/null | head -n 1 || true; }

# ---------------------------------------------------------------------------------------------
# Pins

# check_pins: Trunk.toml must name the wasm-bindgen of Cargo.lock and the wasm-opt of
# package-lock.json, or Trunk (offline) would refuse the tools we install.
check_pins() {
    local lock_wb trunk_wb npm_binaryen trunk_wo
    lock_wb="$(lock_version wasm-bindgen)"
    trunk_wb="$(trunk_tool_version wasm_bindgen)"
    [ -n "$lock_wb" ] || fail_setup "Cargo.lock has no wasm-bindgen entry." "cargo generate-lockfile"
    if [ "$lock_wb" != "$trunk_wb" ]; then
        fail_setup "Trunk.toml [tools] wasm_bindgen is \"$trunk_wb\" but Cargo.lock has wasm-bindgen $lock_wb; set wasm_bindgen = \"$lock_wb\" in Trunk.toml."
    fi
    npm_binaryen="$(npm_lock_version binaryen)"
    trunk_wo="$(trunk_tool_version wasm_opt)"
    if [ "version_${npm_binaryen%%.*}" != "$trunk_wo" ]; then
        fail_setup "Trunk.toml [tools] wasm_opt is \"$trunk_wo\" but package-lock.json has binaryen $npm_binaryen; set wasm_opt = \"version_${npm_binaryen%%.*}\" in Trunk.toml."
    fi
}

# ---------------------------------------------------------------------------------------------
# Rust

ensure_rust() {
    if ! command -v cargo >/dev/null 2>&1; then
        fail_setup "cargo was not found; install Rust with rustup." \
            "curl --proto '=https' --tlsv1.2 -sSf https://sh.rustup.rs | sh"
    fi
}

ensure_wasm_target() {
    local sysroot
    sysroot="$(rustc --print sysroot)"
    if [ -d "$sysroot/lib/rustlib/$FL_WASM_TARGET" ]; then
        note "rust target $FL_WASM_TARGET: present"
        return
    fi
    command -v rustup >/dev/null 2>&1 ||
        fail_setup "the Rust target $FL_WASM_TARGET is missing and rustup was not found." \
            "curl --proto '=https' --tlsv1.2 -sSf https://sh.rustup.rs | sh"
    say "adding the Rust target $FL_WASM_TARGET"
    rustup target add "$FL_WASM_TARGET" ||
        fail_setup "could not add the Rust target $FL_WASM_TARGET." "rustup target add $FL_WASM_TARGET"
}

# wait_for_cargo_install CRATE: if another `cargo install CRATE` is running on this machine (a
# second one would build everything again), wait for it to finish.
wait_for_cargo_install() {
    command -v pgrep >/dev/null 2>&1 || return 0
    if pgrep -f "cargo install $1( |\$)" >/dev/null 2>&1; then
        say "another 'cargo install $1' is running; waiting for it to finish"
        while pgrep -f "cargo install $1( |\$)" >/dev/null 2>&1; do sleep 10; done
    fi
}

trunk_version_ok() {
    case "$(first_line trunk --version)" in
        "trunk $FL_TRUNK_SERIES."*) return 0 ;;
        *) return 1 ;;
    esac
}

ensure_trunk() {
    local install="cargo install trunk --version '~$FL_TRUNK_SERIES' --locked"
    wait_for_cargo_install trunk
    if trunk_version_ok; then
        note "trunk: $(first_line trunk --version)"
        return
    fi
    heads_up 9 "trunk $FL_TRUNK_SERIES.x ($(first_line trunk --version || true) found)"
    cargo install trunk --version "~$FL_TRUNK_SERIES" --locked || fail_setup "installing trunk failed." "$install"
    trunk_version_ok || fail_setup "trunk $FL_TRUNK_SERIES.x is installed but another trunk comes first on PATH ($(command -v trunk))." "$install --force"
}

# wasm-bindgen and wasm-bindgen-test-runner come together from wasm-bindgen-cli, and must be the
# exact version of the wasm-bindgen crate in Cargo.lock.
wasm_bindgen_version_ok() {
    [ "$(first_line wasm-bindgen --version)" = "wasm-bindgen $1" ] &&
        [ "$(first_line wasm-bindgen-test-runner --version)" = "wasm-bindgen-test-runner $1" ]
}

ensure_wasm_bindgen() {
    local version install
    version="$(lock_version wasm-bindgen)"
    [ -n "$version" ] || fail_setup "Cargo.lock has no wasm-bindgen entry." "cargo generate-lockfile"
    # Without --locked: with it, cargo fails to resolve a locked dependency (webpki-roots) here.
    install="cargo install wasm-bindgen-cli --version $version"
    wait_for_cargo_install wasm-bindgen-cli
    if wasm_bindgen_version_ok "$version"; then
        note "wasm-bindgen-cli: $version"
        return
    fi
    heads_up 3 "wasm-bindgen-cli $version (the version in Cargo.lock)"
    cargo install wasm-bindgen-cli --version "$version" || fail_setup "installing wasm-bindgen-cli failed." "$install"
    wasm_bindgen_version_ok "$version" ||
        fail_setup "wasm-bindgen $version is installed but another version comes first on PATH ($(command -v wasm-bindgen))." "$install --force"
}

# Downloads every crate in Cargo.lock (for all targets), so that Trunk's offline cargo build finds
# them. Quick when they are already there.
ensure_crates_fetched() {
    (cd "$FL_ROOT" && cargo fetch --quiet) || fail_setup "cargo could not download the crates." "cargo fetch"
}

# ---------------------------------------------------------------------------------------------
# Node and npm: wasm-opt (npm `binaryen`) and playwright-core, installed into node_modules/.

ensure_node() {
    local sudo=""
    is_root || sudo="sudo "
    if ! command -v node >/dev/null 2>&1 || ! command -v npm >/dev/null 2>&1; then
        fail_setup "node and npm were not found." "${sudo}apt-get update && ${sudo}apt-get install -y nodejs npm"
    fi
    local major
    major="$(node -p 'process.versions.node.split(".")[0]')"
    [ "$major" -ge 18 ] 2>/dev/null ||
        fail_setup "node $(node --version) is too old; Faultline's tools need node 18 or newer." \
            "${sudo}apt-get update && ${sudo}apt-get install -y nodejs npm"
}

# npm_deps_ok: every package in package-lock.json is installed at its locked version.
npm_deps_ok() {
    (cd "$FL_ROOT" && node -e '
        const fs = require("fs");
        const lock = JSON.parse(fs.readFileSync("package-lock.json", "utf8"));
        for (const [path, entry] of Object.entries(lock.packages || {})) {
            if (!path || entry.optional) continue;
            let installed;
            try {
                installed = JSON.parse(fs.readFileSync(path + "/package.json", "utf8")).version;
            } catch {
                process.exit(1);
            }
            if (installed !== entry.version) process.exit(1);
        }
    ')
}

ensure_npm_deps() {
    if npm_deps_ok; then
        note "npm packages: installed ($(cd "$FL_ROOT" && node -p 'Object.entries(require("./package.json").devDependencies).map(([n, v]) => n + " " + v).join(", ")'))"
        return
    fi
    say "installing npm packages from package-lock.json (npm ci)"
    (cd "$FL_ROOT" && npm ci --no-audit --no-fund) || fail_setup "npm ci failed." "cd $FL_ROOT && npm ci"
}

ensure_wasm_opt() {
    local want found
    want="$(trunk_tool_version wasm_opt)"
    # Trunk reads the third word of `wasm-opt --version` ("wasm-opt version 132 (version_132)").
    found="version_$(first_line wasm-opt --version | cut -d' ' -f3)"
    if [ "$found" != "$want" ]; then
        fail_setup "wasm-opt $want is needed but $(command -v wasm-opt || echo 'none') reports ${found#version_}." \
            "cd $FL_ROOT && npm ci"
    fi
    note "wasm-opt: ${found#version_} ($(command -v wasm-opt))"
}

# ---------------------------------------------------------------------------------------------
# Browser: Debian's Chromium and a ChromeDriver of the same version.

chromium_ok() {
    [ -x /usr/bin/chromium ] && [ -x /usr/bin/chromedriver ] || return 1
    local browser driver
    browser="$(first_line /usr/bin/chromium --version | awk '{print $2}')"
    driver="$(first_line /usr/bin/chromedriver --version | awk '{print $2}')"
    [ -n "$browser" ] && [ "${browser%%.*}" = "${driver%%.*}" ]
}

# apt_install PACKAGE...: installs Debian packages, running `apt-get update` only when the
# package lists do not know a package or the install fails.
apt_install() {
    if ! is_root; then
        fail_setup "these Debian packages are needed: $*." "sudo apt-get update && sudo apt-get install -y $*"
    fi
    command -v apt-get >/dev/null 2>&1 ||
        fail_setup "apt-get was not found; install these packages with your system's package manager: $*."
    local pkg need_update=""
    for pkg in "$@"; do
        apt-cache policy "$pkg" 2>/dev/null | grep -q 'Candidate: [0-9]' || need_update=1
    done
    if [ -n "$need_update" ]; then
        say "apt-get update (the package lists do not know $*)"
        apt-get -o DPkg::Lock::Timeout=600 update -q || fail_setup "apt-get update failed." "apt-get update && apt-get install -y $*"
    fi
    # Another apt-get (an unattended upgrade, a second checkout's set-up) may hold dpkg's lock:
    # wait for it, up to ten minutes, rather than fail at once.
    local lock=(-o DPkg::Lock::Timeout=600)
    if ! DEBIAN_FRONTEND=noninteractive apt-get "${lock[@]}" install -y -q "$@"; then
        say "apt-get install failed; updating the package lists and trying again"
        if ! { apt-get "${lock[@]}" update -q &&
            DEBIAN_FRONTEND=noninteractive apt-get "${lock[@]}" install -y -q "$@"; }; then
            fail_setup "installing $* failed." "apt-get update && apt-get install -y $*"
        fi
    fi
}

ensure_chromium() {
    if chromium_ok; then
        note "chromium + chromedriver: $(first_line /usr/bin/chromium --version | awk '{print $2}')"
        return
    fi
    heads_up 2 "Debian's chromium and chromium-driver"
    apt_install chromium chromium-driver
    chromium_ok || fail_setup "chromium and chromium-driver are installed but their versions differ." \
        "apt-get update && apt-get install -y chromium chromium-driver"
}

# A CJK font, so that the Chinese interface renders in headless Chromium (screenshots, axe's
# contrast checks) instead of as boxes. Debian's Noto CJK; fc-list tells whether one is there.
ensure_cjk_font() {
    if command -v fc-list >/dev/null 2>&1 && fc-list :lang=zh family 2>/dev/null | grep -q .; then
        note "CJK font: $(fc-list :lang=zh family | head -n 1)"
        return
    fi
    heads_up 1 "Debian's fonts-noto-cjk (Chinese text in headless Chromium)"
    apt_install fonts-noto-cjk fontconfig
}

# ---------------------------------------------------------------------------------------------
# Everything scripts/serve.sh needs to build the web app.

ensure_build_tools() {
    say "checking build tools"
    ensure_rust
    ensure_wasm_target
    ensure_node
    ensure_npm_deps
    check_pins
    ensure_wasm_opt
    ensure_trunk
    ensure_wasm_bindgen
    ensure_crates_fetched
    # The build draws the default page's first frame with the app itself (scripts/first-frame.mjs).
    ensure_chromium
}
