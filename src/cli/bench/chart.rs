//! A line chart as SVG, for the benches' `--svg`: one polyline per series with its points, a
//! grid, axes with their labels, and a legend. Written by hand (a few dozen lines) rather than
//! with a plotting crate, which the CLI would carry for two charts.

/// A chart's words and data. `x_ticks` are (position, label) pairs: positions on the x axis,
/// which need not be the values they name (the failover bench spaces doubling timeouts evenly).
pub struct LineChart<'a> {
    pub title: &'a str,
    pub subtitle: &'a str,
    pub x_label: &'a str,
    pub y_label: &'a str,
    pub x_ticks: Vec<(f64, String)>,
    /// Each series: its name and its (x position, y) points in order.
    pub series: Vec<(String, Vec<(f64, f64)>)>,
}

const COLORS: [&str; 3] = ["#d95f02", "#7570b3", "#1b9e77"];

/// The smallest of 1, 2 or 5 times a power of ten that splits `max` into at most five steps.
pub fn tick_step(max: f64) -> f64 {
    let mut step = 1.0;
    loop {
        for m in [1.0, 2.0, 5.0] {
            if max / (step * m) <= 5.0 {
                return step * m;
            }
        }
        step *= 10.0;
    }
}

impl LineChart<'_> {
    pub fn svg(&self) -> String {
        const W: f64 = 600.0;
        const H: f64 = 360.0;
        const LEFT: f64 = 64.0;
        const RIGHT: f64 = 170.0;
        const TOP: f64 = 40.0;
        const BOTTOM: f64 = 56.0;
        let (plot_w, plot_h) = (W - LEFT - RIGHT, H - TOP - BOTTOM);
        let x_max = self
            .x_ticks
            .iter()
            .map(|t| t.0)
            .fold(0.0_f64, f64::max)
            .max(1.0);
        let y_data_max = self
            .series
            .iter()
            .flat_map(|s| s.1.iter().map(|p| p.1))
            .filter(|y| y.is_finite())
            .fold(0.0_f64, f64::max)
            .max(1.0);
        let step = tick_step(y_data_max);
        let y_max = (y_data_max / step).ceil() * step;
        let x_of = |x: f64| LEFT + plot_w * x / x_max;
        let y_of = |y: f64| TOP + plot_h * (1.0 - y / y_max);
        let mut out = format!(
            "<svg xmlns=\"http://www.w3.org/2000/svg\" width=\"{W}\" height=\"{H}\" font-family=\"sans-serif\" font-size=\"12\">\n<rect width=\"100%\" height=\"100%\" fill=\"white\"/>\n<text x=\"{LEFT}\" y=\"18\" font-weight=\"bold\">{}</text>\n<text x=\"{LEFT}\" y=\"32\" font-size=\"10\" fill=\"#555\">{}</text>\n",
            self.title, self.subtitle
        );
        let mut y = 0.0;
        while y <= y_max + step / 2.0 {
            let py = y_of(y);
            out.push_str(&format!(
                "<line x1=\"{LEFT}\" y1=\"{py:.1}\" x2=\"{:.1}\" y2=\"{py:.1}\" stroke=\"#ddd\"/><text x=\"{:.1}\" y=\"{:.1}\" text-anchor=\"end\">{y}</text>\n",
                LEFT + plot_w,
                LEFT - 6.0,
                py + 4.0
            ));
            y += step;
        }
        for (x, label) in &self.x_ticks {
            let px = x_of(*x);
            out.push_str(&format!(
                "<line x1=\"{px:.1}\" y1=\"{TOP}\" x2=\"{px:.1}\" y2=\"{:.1}\" stroke=\"#eee\"/><text x=\"{px:.1}\" y=\"{:.1}\" text-anchor=\"middle\">{label}</text>\n",
                TOP + plot_h,
                TOP + plot_h + 16.0
            ));
        }
        out.push_str(&format!(
            "<line x1=\"{LEFT}\" y1=\"{TOP}\" x2=\"{LEFT}\" y2=\"{bottom:.1}\" stroke=\"black\"/><line x1=\"{LEFT}\" y1=\"{bottom:.1}\" x2=\"{:.1}\" y2=\"{bottom:.1}\" stroke=\"black\"/>\n<text x=\"{:.1}\" y=\"{:.1}\" text-anchor=\"middle\">{}</text>\n<text transform=\"translate(16 {:.1}) rotate(-90)\" text-anchor=\"middle\">{}</text>\n",
            LEFT + plot_w,
            LEFT + plot_w / 2.0,
            TOP + plot_h + 36.0,
            self.x_label,
            TOP + plot_h / 2.0,
            self.y_label,
            bottom = TOP + plot_h
        ));
        for (i, (name, points)) in self.series.iter().enumerate() {
            let color = COLORS[i % COLORS.len()];
            // A point with no value (a cell where nothing was measured) is left out.
            let points: Vec<(f64, f64)> = points
                .iter()
                .filter(|p| p.1.is_finite())
                .map(|(x, y)| (x_of(*x), y_of(*y)))
                .collect();
            let line: Vec<String> = points
                .iter()
                .map(|(x, y)| format!("{x:.1},{y:.1}"))
                .collect();
            out.push_str(&format!(
                "<polyline points=\"{}\" fill=\"none\" stroke=\"{color}\" stroke-width=\"2\"/>\n",
                line.join(" ")
            ));
            for (x, y) in points {
                out.push_str(&format!(
                    "<circle cx=\"{x:.1}\" cy=\"{y:.1}\" r=\"3\" fill=\"{color}\"/>\n"
                ));
            }
            let ly = TOP + 10.0 + i as f64 * 18.0;
            let lx = LEFT + plot_w + 16.0;
            out.push_str(&format!(
                "<line x1=\"{lx:.1}\" y1=\"{ly:.1}\" x2=\"{:.1}\" y2=\"{ly:.1}\" stroke=\"{color}\" stroke-width=\"3\"/><text x=\"{:.1}\" y=\"{:.1}\">{name}</text>\n",
                lx + 20.0,
                lx + 26.0,
                ly + 4.0
            ));
        }
        out.push_str("</svg>\n");
        out
    }
}
