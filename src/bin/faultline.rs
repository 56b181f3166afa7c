fn main() {
    println!("faultline {}", faultline::VERSION);
}
