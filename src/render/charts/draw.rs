//! Drawing a chart [`Spec`] with plotters, the same layout on every backend.
//!
//! Every position is computed here in "base" pixels (the SVG's own pixels) and multiplied by
//! the backend's scale when drawn, so the PNG (scale 2) is the SVG (scale 1) at twice the
//! resolution. plotters draws the primitives: rectangles, paths, circles and text, the text
//! with the embedded font (see [`super::FONT`]), so no system font is ever looked up.

use std::sync::OnceLock;

use ab_glyph::{Font, FontRef, GlyphId, PxScale, ScaleFont, point};
use anyhow::{Result, anyhow};
use plotters::coord::Shift;
use plotters::prelude::*;
use plotters::style::FontTransform;
use plotters::style::text_anchor::{HPos, Pos, VPos};

use super::{BarChart, Body, LineChart, LineKind, Spec};

/// Width of every chart in base pixels: fits an A4 text column at a readable scale.
pub const WIDTH: f64 = 760.0;
/// Outer margin.
const MARGIN: f64 = 16.0;
/// Text sizes (CSS pixels in the SVG).
const TITLE: f64 = 16.0;
const SUBTITLE: f64 = 12.0;
const LABEL: f64 = 12.0;
const TICK: f64 = 11.0;
const VALUE: f64 = 10.5;
/// Greys.
pub const INK: RGBColor = RGBColor(0, 0, 0);
const MUTED: RGBColor = RGBColor(70, 70, 70);
const GRID: RGBColor = RGBColor(220, 220, 220);
/// The oldest school year's line.
const THIN: RGBColor = RGBColor(110, 110, 110);

/// Anything a chart body needs from the drawing area, in base pixels.
pub struct Painter<'a, DB: DrawingBackend> {
    area: &'a DrawingArea<DB, Shift>,
    scale: f64,
    /// Text as pixels, rasterised here from the embedded font; otherwise as text elements
    /// (SVG) that the viewer sets.
    raster: bool,
}

fn err<E: std::fmt::Debug>(e: E) -> anyhow::Error {
    anyhow!("drawing a chart: {e:?}")
}

/// The embedded font at `size` CSS pixels, for plotters' SVG text. plotters writes
/// `font-size` = size / 1.24 into the SVG; the factor undoes that.
fn font(size: f64) -> FontDesc<'static> {
    FontDesc::new(
        FontFamily::Name(super::FAMILY),
        size * 1.24,
        FontStyle::Normal,
    )
}

/// The embedded font, parsed once.
fn face() -> Result<&'static FontRef<'static>> {
    static FACE: OnceLock<Option<FontRef<'static>>> = OnceLock::new();
    FACE.get_or_init(|| FontRef::try_from_slice(super::FONT).ok())
        .as_ref()
        .ok_or_else(|| anyhow!("the embedded chart font is not a readable font"))
}

/// x-height of DejaVu Sans in em (OS/2 sxHeight 1120 of 2048 units): what a browser takes as
/// `1ex` for it.
const EX: f64 = 1120.0 / 2048.0;

/// Glyphs with their pen positions, the font scale, and the advance of the whole text.
type Set = (Vec<(GlyphId, f32)>, PxScale, f32);

/// Glyphs of `text` at `em` pixels: each glyph with its pen position, and the advance of the
/// whole text. Advances and kerning from the font, as a browser sets the SVG's text.
fn set(text: &str, em: f64) -> Result<Set> {
    let font = face()?;
    let units = font.units_per_em().unwrap_or(2048.0);
    let scale = PxScale::from(em as f32 * font.height_unscaled() / units);
    let scaled = font.as_scaled(scale);
    let (mut x, mut previous) = (0f32, None);
    let mut glyphs = Vec::new();
    for c in text.chars() {
        let id = font.glyph_id(c);
        if let Some(p) = previous {
            x += scaled.kern(p, id);
        }
        glyphs.push((id, x));
        x += scaled.h_advance(id);
        previous = Some(id);
    }
    Ok((glyphs, scale, x))
}

impl<'a, DB: DrawingBackend> Painter<'a, DB> {
    /// `raster`: draw text as pixels (bitmaps) rather than as text elements (SVG).
    pub fn new(area: &'a DrawingArea<DB, Shift>, scale: f64, raster: bool) -> Self {
        Painter {
            area,
            scale,
            raster,
        }
    }

    fn px(&self, v: f64) -> i32 {
        (v * self.scale).round() as i32
    }

    fn point(&self, (x, y): (f64, f64)) -> (i32, i32) {
        (self.px(x), self.px(y))
    }

    /// Width of `text` at `size`, in base pixels: the same on every backend, so every backend
    /// wraps and places the same.
    pub fn measure(&self, text: &str, size: f64) -> Result<f64> {
        Ok(f64::from(set(text, size)?.2))
    }

    pub fn text(
        &self,
        text: &str,
        at: (f64, f64),
        size: f64,
        color: RGBColor,
        h: HPos,
        v: VPos,
    ) -> Result<()> {
        if self.raster {
            return self.raster_text(text, at, size, color, h, v, false);
        }
        let style = self.font(size).color(&color).pos(Pos::new(h, v));
        self.area
            .draw_text(text, &style, self.point(at))
            .map_err(err)
    }

    /// Text turned a quarter anticlockwise (reading upwards), centred on `(x, y)`.
    pub fn text_up(&self, text: &str, at: (f64, f64), size: f64, color: RGBColor) -> Result<()> {
        if self.raster {
            return self.raster_text(text, at, size, color, HPos::Center, VPos::Center, true);
        }
        let style = self
            .font(size)
            .color(&color)
            .transform(FontTransform::Rotate270)
            .pos(Pos::new(HPos::Center, VPos::Center));
        self.area
            .draw_text(text, &style, self.point(at))
            .map_err(err)
    }

    fn font(&self, size: f64) -> FontDesc<'static> {
        font(size * self.scale)
    }

    /// Rasterises `text` with its anchor at `at`, placed as plotters places SVG text: the
    /// baseline 0,76 em below a top anchor, ½ ex below a centre anchor, ½ ex above a bottom
    /// anchor; `up` turns it about the anchor to read upwards.
    #[allow(clippy::too_many_arguments)]
    fn raster_text(
        &self,
        text: &str,
        at: (f64, f64),
        size: f64,
        color: RGBColor,
        h: HPos,
        v: VPos,
        up: bool,
    ) -> Result<()> {
        let em = size * self.scale;
        let (glyphs, scale, width) = set(text, em)?;
        let start = match h {
            HPos::Left => 0.0,
            HPos::Center => -width / 2.0,
            HPos::Right => -width,
        };
        let baseline = match v {
            VPos::Top => 0.76 * em,
            VPos::Center => 0.5 * EX * em,
            VPos::Bottom => -0.5 * EX * em,
        } as f32;
        let (ax, ay) = self.point(at);
        let font = face()?;
        let mut pixels: Vec<((i32, i32), f32)> = Vec::new();
        for (id, pen) in glyphs {
            let glyph = id.with_scale_and_position(scale, point(start + pen, baseline));
            let Some(outline) = font.outline_glyph(glyph) else {
                continue;
            };
            let bounds = outline.px_bounds();
            let (bx, by) = (bounds.min.x as i32, bounds.min.y as i32);
            outline.draw(|gx, gy, coverage| {
                if coverage > 0.0 {
                    let (dx, dy) = (bx + gx as i32, by + gy as i32);
                    let p = if up {
                        (ax + dy, ay - dx - 1)
                    } else {
                        (ax + dx, ay + dy)
                    };
                    pixels.push((p, coverage.min(1.0)));
                }
            });
        }
        for (p, coverage) in pixels {
            self.area
                .draw_pixel(p, &color.mix(f64::from(coverage)))
                .map_err(err)?;
        }
        Ok(())
    }

    pub fn rect(&self, (x0, y0): (f64, f64), (x1, y1): (f64, f64), fill: RGBColor) -> Result<()> {
        self.area
            .draw(&Rectangle::new(
                [self.point((x0, y0)), self.point((x1, y1))],
                fill.filled(),
            ))
            .map_err(err)
    }

    pub fn outline(
        &self,
        (x0, y0): (f64, f64),
        (x1, y1): (f64, f64),
        color: RGBColor,
    ) -> Result<()> {
        let style = ShapeStyle {
            color: color.to_rgba(),
            filled: false,
            stroke_width: self.px(1.0).max(1) as u32,
        };
        self.area
            .draw(&Rectangle::new(
                [self.point((x0, y0)), self.point((x1, y1))],
                style,
            ))
            .map_err(err)
    }

    pub fn line(&self, points: &[(f64, f64)], color: RGBColor, width: f64) -> Result<()> {
        if points.len() < 2 {
            return Ok(());
        }
        let style = ShapeStyle {
            color: color.to_rgba(),
            filled: false,
            stroke_width: self.px(width).max(1) as u32,
        };
        let pts: Vec<(i32, i32)> = points.iter().map(|p| self.point(*p)).collect();
        self.area.draw(&PathElement::new(pts, style)).map_err(err)
    }

    /// A dashed polyline: `dash` drawn, `gap` left open, measured along the line.
    pub fn dashed(
        &self,
        points: &[(f64, f64)],
        dash: f64,
        gap: f64,
        color: RGBColor,
        width: f64,
    ) -> Result<()> {
        for piece in dashes(points, dash, gap) {
            self.line(&piece, color, width)?;
        }
        Ok(())
    }

    /// A dotted polyline: round dots of `radius` every `spacing` along the line.
    pub fn dotted(
        &self,
        points: &[(f64, f64)],
        spacing: f64,
        radius: f64,
        color: RGBColor,
    ) -> Result<()> {
        for p in along(points, spacing) {
            self.dot(p, radius, color)?;
        }
        Ok(())
    }

    pub fn dot(&self, p: (f64, f64), radius: f64, color: RGBColor) -> Result<()> {
        let r = (radius * self.scale).round().max(1.0) as i32;
        self.area
            .draw(&Circle::new(self.point(p), r, color.filled()))
            .map_err(err)
    }
}

/// Points every `spacing` along a polyline, starting at its first point.
fn along(points: &[(f64, f64)], spacing: f64) -> Vec<(f64, f64)> {
    let mut out = Vec::new();
    let Some(&first) = points.first() else {
        return out;
    };
    out.push(first);
    let mut carried = 0.0; // distance walked since the last dot
    for pair in points.windows(2) {
        let ((x0, y0), (x1, y1)) = (pair[0], pair[1]);
        let length = (x1 - x0).hypot(y1 - y0);
        let mut at = spacing - carried;
        while at <= length {
            let t = at / length;
            out.push((x0 + (x1 - x0) * t, y0 + (y1 - y0) * t));
            at += spacing;
        }
        carried = length - (at - spacing);
    }
    out
}

/// The drawn pieces of a dashed polyline.
fn dashes(points: &[(f64, f64)], dash: f64, gap: f64) -> Vec<Vec<(f64, f64)>> {
    let mut pieces = Vec::new();
    let mut current: Vec<(f64, f64)> = Vec::new();
    let mut drawing = true;
    let mut left = dash; // length left in the current dash or gap
    if let Some(&first) = points.first() {
        current.push(first);
    }
    for pair in points.windows(2) {
        let ((mut x0, mut y0), (x1, y1)) = (pair[0], pair[1]);
        let mut length = (x1 - x0).hypot(y1 - y0);
        while length > 0.0 {
            let step = left.min(length);
            let t = step / length;
            let (nx, ny) = (x0 + (x1 - x0) * t, y0 + (y1 - y0) * t);
            if drawing {
                current.push((nx, ny));
            }
            left -= step;
            length -= step;
            (x0, y0) = (nx, ny);
            if left <= 1e-9 {
                if drawing {
                    pieces.push(std::mem::take(&mut current));
                } else {
                    current.push((nx, ny));
                }
                drawing = !drawing;
                left = if drawing { dash } else { gap };
            }
        }
    }
    if drawing && current.len() > 1 {
        pieces.push(current);
    }
    pieces
}

/// The height in base pixels of the chart `spec` draws, before drawing it.
pub fn height<DB: DrawingBackend>(p: &Painter<DB>, spec: &Spec) -> Result<f64> {
    let header = header_height(p, spec)?;
    let body = match &spec.body {
        Body::Bars(b) if b.horizontal => horizontal_layout(p, b)?.height,
        Body::Bars(b) => vertical_layout(p, b)?.height,
        Body::Lines(_) => LINES_HEIGHT,
    };
    Ok((header + body + 8.0).ceil())
}

/// Draws the whole chart: title, subtitle, legend, then the body.
pub fn draw<DB: DrawingBackend>(p: &Painter<DB>, spec: &Spec) -> Result<()> {
    p.area.fill(&WHITE).map_err(err)?;
    let top = draw_header(p, spec)?;
    match &spec.body {
        Body::Bars(b) if b.horizontal => draw_horizontal(p, b, top),
        Body::Bars(b) => draw_vertical(p, b, top),
        Body::Lines(l) => draw_lines(p, l, top),
    }
}

/// Words of `text` in lines no wider than `max` at `size`.
pub fn wrap<DB: DrawingBackend>(
    p: &Painter<DB>,
    text: &str,
    size: f64,
    max: f64,
) -> Result<Vec<String>> {
    let mut lines: Vec<String> = Vec::new();
    let mut line = String::new();
    for word in text.split_whitespace() {
        let candidate = if line.is_empty() {
            word.to_string()
        } else {
            format!("{line} {word}")
        };
        if !line.is_empty() && p.measure(&candidate, size)? > max {
            lines.push(std::mem::replace(&mut line, word.to_string()));
        } else {
            line = candidate;
        }
    }
    if !line.is_empty() || lines.is_empty() {
        lines.push(line);
    }
    Ok(lines)
}

const TITLE_LINE: f64 = 21.0;
const SUBTITLE_LINE: f64 = 16.0;
const LEGEND_LINE: f64 = 20.0;
const SWATCH: f64 = 13.0;

/// One legend entry: its sample and its text.
enum Sample {
    Bar(RGBColor),
    Line(LineKind),
}

fn legend(spec: &Spec) -> Vec<(Sample, String)> {
    match &spec.body {
        Body::Bars(b) if b.series.len() > 1 => b
            .series
            .iter()
            .map(|s| (Sample::Bar(s.shade), s.name.clone()))
            .collect(),
        Body::Bars(_) => Vec::new(),
        Body::Lines(l) => l
            .series
            .iter()
            .rev() // newest first, as it lies on top
            .map(|s| (Sample::Line(s.kind), s.name.clone()))
            .collect(),
    }
}

fn sample_width(sample: &Sample) -> f64 {
    match sample {
        Sample::Bar(_) => SWATCH,
        Sample::Line(_) => 34.0,
    }
}

/// Legend entries placed left to right, wrapping: (row, x) of each.
fn legend_rows<DB: DrawingBackend>(
    p: &Painter<DB>,
    entries: &[(Sample, String)],
) -> Result<Vec<(usize, f64)>> {
    let mut out = Vec::new();
    let (mut row, mut x) = (0, MARGIN);
    for (sample, text) in entries {
        let w = sample_width(sample) + 6.0 + p.measure(text, LABEL)?;
        if x > MARGIN && x + w > WIDTH - MARGIN {
            row += 1;
            x = MARGIN;
        }
        out.push((row, x));
        x += w + 22.0;
    }
    Ok(out)
}

fn header_height<DB: DrawingBackend>(p: &Painter<DB>, spec: &Spec) -> Result<f64> {
    let mut y = MARGIN;
    y += TITLE_LINE * wrap(p, &spec.title, TITLE, WIDTH - 2.0 * MARGIN)?.len() as f64;
    if let Some(sub) = &spec.subtitle {
        y += 2.0 + SUBTITLE_LINE * wrap(p, sub, SUBTITLE, WIDTH - 2.0 * MARGIN)?.len() as f64;
    }
    let entries = legend(spec);
    if !entries.is_empty() {
        let rows = legend_rows(p, &entries)?;
        let n = rows.last().map_or(0, |(r, _)| r + 1);
        y += 8.0 + LEGEND_LINE * n as f64;
    }
    Ok(y + 10.0)
}

/// Draws title, subtitle and legend; returns where the body starts.
fn draw_header<DB: DrawingBackend>(p: &Painter<DB>, spec: &Spec) -> Result<f64> {
    let mut y = MARGIN;
    for line in wrap(p, &spec.title, TITLE, WIDTH - 2.0 * MARGIN)? {
        p.text(&line, (MARGIN, y), TITLE, INK, HPos::Left, VPos::Top)?;
        y += TITLE_LINE;
    }
    if let Some(sub) = &spec.subtitle {
        y += 2.0;
        for line in wrap(p, sub, SUBTITLE, WIDTH - 2.0 * MARGIN)? {
            p.text(&line, (MARGIN, y), SUBTITLE, MUTED, HPos::Left, VPos::Top)?;
            y += SUBTITLE_LINE;
        }
    }
    let entries = legend(spec);
    if !entries.is_empty() {
        y += 8.0;
        let rows = legend_rows(p, &entries)?;
        for ((sample, text), (row, x)) in entries.iter().zip(&rows) {
            let mid = y + *row as f64 * LEGEND_LINE + SWATCH / 2.0;
            match sample {
                Sample::Bar(shade) => {
                    let (a, b) = ((*x, mid - SWATCH / 2.0), (x + SWATCH, mid + SWATCH / 2.0));
                    p.rect(a, b, *shade)?;
                    p.outline(a, b, INK)?;
                }
                Sample::Line(kind) => {
                    draw_line_kind(p, &[(*x, mid), (x + 34.0, mid)], *kind)?;
                }
            }
            p.text(
                text,
                (x + sample_width(sample) + 6.0, mid),
                LABEL,
                INK,
                HPos::Left,
                VPos::Center,
            )?;
        }
        let n = rows.last().map_or(0, |(r, _)| r + 1);
        y += LEGEND_LINE * n as f64;
    }
    Ok(y + 10.0)
}

/// Ticks from 0 to at least `max`: a step of 1, 2, 2,5 or 5 times a power of ten, about five
/// steps. Returns (step, top, decimals of the step).
pub fn ticks(max: f64, whole: bool) -> (f64, f64, usize) {
    let max = if max > 0.0 { max } else { 1.0 };
    let raw = max / 5.0;
    let magnitude = 10f64.powf(raw.log10().floor());
    let mut step = [1.0, 2.0, 2.5, 5.0, 10.0]
        .iter()
        .map(|m| m * magnitude)
        .find(|s| *s >= raw * 0.999)
        .unwrap_or(10.0 * magnitude);
    if whole && step < 1.0 {
        step = 1.0;
    }
    let steps = (max / step - 1e-9).ceil().max(1.0);
    let decimals = if step >= 1.0 {
        0
    } else if ((step * 10.0).round() - step * 10.0).abs() < 1e-9 {
        1
    } else {
        2
    };
    (step, steps * step, decimals)
}

/// A tick value as the report writes numbers: `40.000`, `0,5`.
/// 0, step, 2·step, … up to `max` (summed, not multiplied, as the ticks were chosen).
fn tick_values(step: f64, max: f64) -> impl Iterator<Item = f64> {
    std::iter::successors(Some(0.0), move |v| Some(v + step))
        .take_while(move |v| *v <= max + step * 1e-6)
}

/// The vertical value axis: a grid line, a tick and a label per tick value.
fn draw_value_axis<DB: DrawingBackend>(
    p: &Painter<DB>,
    (left, right): (f64, f64),
    y: &dyn Fn(f64) -> f64,
    (step, max, decimals): (f64, f64, usize),
) -> Result<()> {
    for v in tick_values(step, max) {
        p.line(&[(left, y(v)), (right, y(v))], GRID, 1.0)?;
        p.line(&[(left - 4.0, y(v)), (left, y(v))], INK, 1.0)?;
        p.text(
            &tick_label(v, decimals),
            (left - 6.0, y(v)),
            TICK,
            INK,
            HPos::Right,
            VPos::Center,
        )?;
    }
    Ok(())
}

pub fn tick_label(v: f64, decimals: usize) -> String {
    if decimals == 0 {
        crate::render::getal(v.round() as i64)
    } else {
        format!("{v:.decimals$}").replace('.', ",")
    }
}

/// Values are black; a zero or missing value, which has no bar, grey so it recedes.
fn value_colour(value: Option<super::Num>) -> RGBColor {
    if value.is_some_and(|n| n.as_f64() != 0.0) {
        INK
    } else {
        MUTED
    }
}

// ---------------------------------------------------------------------------------------------
// Horizontal bars: categories down the left, one bar per series in each category.

struct HLayout {
    /// Wrapped label lines per category.
    labels: Vec<Vec<String>>,
    /// Left edge of the plot (labels end here).
    plot_left: f64,
    bar: f64,
    /// Height of each category's band.
    bands: Vec<f64>,
    height: f64,
}

const H_LABEL_MAX: f64 = 250.0;
const H_LABEL_LINE: f64 = 14.0;
const H_GAP: f64 = 10.0;
/// Room right of the plot for the value of the longest bar.
const H_RIGHT: f64 = 48.0;
/// Room under the plot: tick labels and the axis description.
const H_BOTTOM: f64 = 48.0;

fn horizontal_layout<DB: DrawingBackend>(p: &Painter<DB>, b: &BarChart) -> Result<HLayout> {
    let labels = b
        .categories
        .iter()
        .map(|c| wrap(p, c, LABEL, H_LABEL_MAX))
        .collect::<Result<Vec<_>>>()?;
    let mut widest: f64 = 0.0;
    for lines in &labels {
        for line in lines {
            widest = widest.max(p.measure(line, LABEL)?);
        }
    }
    let bar = match b.series.len() {
        1 => 16.0,
        2 => 12.0,
        3 => 10.0,
        _ => 8.5,
    };
    let bands: Vec<f64> = labels
        .iter()
        .map(|lines| {
            (bar * b.series.len() as f64 + H_GAP).max(lines.len() as f64 * H_LABEL_LINE + 6.0)
        })
        .collect();
    // The category axis description, read upwards, sits left of the labels.
    let plot_left = MARGIN + 20.0 + widest + 10.0;
    let height = bands.iter().sum::<f64>() + H_BOTTOM;
    Ok(HLayout {
        labels,
        plot_left,
        bar,
        bands,
        height,
    })
}

fn draw_horizontal<DB: DrawingBackend>(p: &Painter<DB>, b: &BarChart, top: f64) -> Result<()> {
    let layout = horizontal_layout(p, b)?;
    let left = layout.plot_left;
    let right = WIDTH - MARGIN - H_RIGHT;
    let bottom = top + layout.bands.iter().sum::<f64>();
    let (step, max, decimals) = ticks(b.max(), !b.tenths);
    let x = |v: f64| left + (right - left) * v / max;

    // Grid and tick labels.
    for v in tick_values(step, max) {
        p.line(&[(x(v), top), (x(v), bottom)], GRID, 1.0)?;
        p.line(&[(x(v), bottom), (x(v), bottom + 4.0)], INK, 1.0)?;
        p.text(
            &tick_label(v, decimals),
            (x(v), bottom + 6.0),
            TICK,
            INK,
            HPos::Center,
            VPos::Top,
        )?;
    }
    p.text(
        &b.value_axis,
        ((left + right) / 2.0, bottom + 26.0),
        LABEL,
        INK,
        HPos::Center,
        VPos::Top,
    )?;
    p.text_up(
        &b.category_axis,
        (MARGIN + 7.0, (top + bottom) / 2.0),
        LABEL,
        INK,
    )?;

    // Bars, values, category labels.
    let mut y = top;
    for (c, band) in layout.bands.iter().enumerate() {
        let bars = layout.bar * b.series.len() as f64;
        let mut bar_top = y + (band - bars) / 2.0;
        for (s, series) in b.series.iter().enumerate() {
            let value = b.values[c][s];
            let end = x(value.map_or(0.0, |n| n.as_f64()));
            if value.is_some_and(|n| n.as_f64() > 0.0) {
                let (a, z) = ((left, bar_top + 1.0), (end, bar_top + layout.bar - 1.0));
                p.rect(a, z, series.shade)?;
                if series.outlined() {
                    p.outline(a, z, INK)?;
                }
            }
            let text = value.map_or_else(|| "–".to_string(), |n| n.nl());
            p.text(
                &text,
                (end + 4.0, bar_top + layout.bar / 2.0),
                VALUE.min(layout.bar + 0.5),
                value_colour(value),
                HPos::Left,
                VPos::Center,
            )?;
            bar_top += layout.bar;
        }
        let lines = &layout.labels[c];
        let first = y + band / 2.0 - (lines.len() as f64 - 1.0) * H_LABEL_LINE / 2.0;
        for (i, line) in lines.iter().enumerate() {
            p.text(
                line,
                (left - 8.0, first + i as f64 * H_LABEL_LINE),
                LABEL,
                INK,
                HPos::Right,
                VPos::Center,
            )?;
        }
        y += band;
    }
    p.line(&[(left, top), (left, bottom)], INK, 1.0)?;
    p.line(&[(left, bottom), (right, bottom)], INK, 1.0)?;
    Ok(())
}

// ---------------------------------------------------------------------------------------------
// Vertical bars: categories along the bottom.

struct VLayout {
    labels: Vec<Vec<String>>,
    plot_left: f64,
    plot_height: f64,
    height: f64,
}

const V_PLOT: f64 = 230.0;
const V_LABEL_LINE: f64 = 14.0;

fn vertical_layout<DB: DrawingBackend>(p: &Painter<DB>, b: &BarChart) -> Result<VLayout> {
    let (_, max, decimals) = ticks(b.max(), !b.tenths);
    let tick_width = p.measure(&tick_label(max, decimals), TICK)?;
    let plot_left = MARGIN + 20.0 + tick_width + 8.0;
    let group = (WIDTH - MARGIN - plot_left) / b.categories.len().max(1) as f64;
    let labels = b
        .categories
        .iter()
        .map(|c| wrap(p, c, LABEL, group - 6.0))
        .collect::<Result<Vec<_>>>()?;
    let lines = labels.iter().map(Vec::len).max().unwrap_or(1) as f64;
    // Room above the plot for the value of the highest bar.
    let height = 18.0 + V_PLOT + 8.0 + lines * V_LABEL_LINE + 26.0;
    Ok(VLayout {
        labels,
        plot_left,
        plot_height: V_PLOT,
        height,
    })
}

fn draw_vertical<DB: DrawingBackend>(p: &Painter<DB>, b: &BarChart, top: f64) -> Result<()> {
    let layout = vertical_layout(p, b)?;
    let left = layout.plot_left;
    let right = WIDTH - MARGIN;
    let plot_top = top + 18.0;
    let bottom = plot_top + layout.plot_height;
    let (step, max, decimals) = ticks(b.max(), !b.tenths);
    let y = |v: f64| bottom - layout.plot_height * v / max;

    draw_value_axis(p, (left, right), &y, (step, max, decimals))?;
    p.text_up(
        &b.value_axis,
        (MARGIN + 7.0, (plot_top + bottom) / 2.0),
        LABEL,
        INK,
    )?;

    let n = b.categories.len().max(1) as f64;
    let group = (right - left) / n;
    // Bars no wider than 64 pixels, however few the categories.
    let series = b.series.len().max(1) as f64;
    let bar = (group * 0.76 / series).min(64.0);
    let inner = bar * series;
    for (c, lines) in layout.labels.iter().enumerate() {
        let start = left + group * c as f64 + (group - inner) / 2.0;
        for (s, series) in b.series.iter().enumerate() {
            let value = b.values[c][s];
            let x0 = start + bar * s as f64;
            let top_of_bar = y(value.map_or(0.0, |n| n.as_f64()));
            if value.is_some_and(|n| n.as_f64() > 0.0) {
                let (a, z) = ((x0 + 1.0, top_of_bar), (x0 + bar - 1.0, bottom));
                p.rect(a, z, series.shade)?;
                if series.outlined() {
                    p.outline(a, z, INK)?;
                }
            }
            let text = value.map_or_else(|| "–".to_string(), |n| n.nl());
            p.text(
                &text,
                (x0 + bar / 2.0, top_of_bar - 3.0),
                VALUE,
                value_colour(value),
                HPos::Center,
                VPos::Bottom,
            )?;
        }
        let centre = left + group * (c as f64 + 0.5);
        for (i, line) in lines.iter().enumerate() {
            p.text(
                line,
                (centre, bottom + 8.0 + i as f64 * V_LABEL_LINE),
                LABEL,
                INK,
                HPos::Center,
                VPos::Top,
            )?;
        }
    }
    let lines = layout.labels.iter().map(Vec::len).max().unwrap_or(1) as f64;
    p.text(
        &b.category_axis,
        ((left + right) / 2.0, bottom + 12.0 + lines * V_LABEL_LINE),
        LABEL,
        INK,
        HPos::Center,
        VPos::Top,
    )?;
    p.line(&[(left, plot_top - 10.0), (left, bottom)], INK, 1.0)?;
    p.line(&[(left, bottom), (right, bottom)], INK, 1.0)?;
    Ok(())
}

// ---------------------------------------------------------------------------------------------
// Lines over the school year: x from 0 (1 August) to 12 (31 July) in months.

const LINES_HEIGHT: f64 = 380.0;
const MONTHS: [&str; 12] = [
    "aug", "sep", "okt", "nov", "dec", "jan", "feb", "mrt", "apr", "mei", "jun", "jul",
];

fn draw_line_kind<DB: DrawingBackend>(
    p: &Painter<DB>,
    points: &[(f64, f64)],
    kind: LineKind,
) -> Result<()> {
    match kind {
        LineKind::Bold => p.line(points, INK, 2.6),
        LineKind::Dashed => p.dashed(points, 7.0, 4.0, INK, 1.8),
        LineKind::Dotted => p.dotted(points, 4.5, 1.3, INK),
        LineKind::Thin => p.line(points, THIN, 1.4),
    }
}

fn draw_lines<DB: DrawingBackend>(p: &Painter<DB>, l: &LineChart, top: f64) -> Result<()> {
    let max = l
        .series
        .iter()
        .flat_map(|s| s.points.iter().flatten())
        .map(|(_, v)| *v)
        .fold(0.0, f64::max);
    let (step, max, decimals) = ticks(max, true);
    let tick_width = p.measure(&tick_label(max, decimals), TICK)?;
    let left = MARGIN + 20.0 + tick_width + 8.0;
    let right = WIDTH - MARGIN;
    let plot_top = top + 4.0;
    let bottom = top + LINES_HEIGHT - 50.0;
    let x = |m: f64| left + (right - left) * m / 12.0;
    let y = |v: f64| bottom - (bottom - plot_top) * v / max;

    draw_value_axis(p, (left, right), &y, (step, max, decimals))?;
    for (m, name) in MONTHS.iter().enumerate() {
        let m = m as f64;
        if m > 0.0 {
            p.line(&[(x(m), plot_top), (x(m), bottom)], GRID, 1.0)?;
        }
        p.line(&[(x(m), bottom), (x(m), bottom + 4.0)], INK, 1.0)?;
        p.text(
            name,
            (x(m + 0.5), bottom + 6.0),
            TICK,
            INK,
            HPos::Center,
            VPos::Top,
        )?;
    }
    p.text(
        &l.x_axis,
        ((left + right) / 2.0, bottom + 26.0),
        LABEL,
        INK,
        HPos::Center,
        VPos::Top,
    )?;
    p.text_up(
        &l.y_axis,
        (MARGIN + 7.0, (plot_top + bottom) / 2.0),
        LABEL,
        INK,
    )?;

    // Oldest first, so the newest lies on top.
    for series in &l.series {
        let mut run: Vec<(f64, f64)> = Vec::new();
        for point in series.points.iter().chain(std::iter::once(&None)) {
            match point {
                Some((m, v)) => run.push((x(*m), y(*v))),
                None => {
                    if let [lone] = run[..] {
                        // A week between two gaps: a dot in the line's weight and grey, or it
                        // would not show.
                        let (radius, colour) = match series.kind {
                            LineKind::Bold => (3.0, INK),
                            LineKind::Dashed => (2.2, INK),
                            LineKind::Dotted => (1.5, INK),
                            LineKind::Thin => (2.2, THIN),
                        };
                        p.dot(lone, radius, colour)?;
                    } else {
                        draw_line_kind(p, &run, series.kind)?;
                    }
                    run.clear();
                }
            }
        }
    }
    p.line(&[(left, plot_top), (left, bottom)], INK, 1.0)?;
    p.line(&[(left, bottom), (right, bottom)], INK, 1.0)?;
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn nice_ticks() {
        assert_eq!(ticks(267.0, true), (100.0, 300.0, 0));
        assert_eq!(ticks(458.0, true), (100.0, 500.0, 0));
        assert_eq!(ticks(1.4, false), (0.5, 1.5, 1));
        assert_eq!(ticks(5.7, false), (2.0, 6.0, 0));
        assert_eq!(ticks(0.0, true), (1.0, 1.0, 0));
        assert_eq!(ticks(3.0, true), (1.0, 3.0, 0));
        assert_eq!(ticks(1.1, false).2, 2);
        assert_eq!(tick_label(40000.0, 0), "40.000");
        assert_eq!(tick_label(0.5, 1), "0,5");
    }

    #[test]
    fn dashes_and_dots_follow_the_line() {
        let line = [(0.0, 0.0), (10.0, 0.0), (10.0, 10.0)];
        let pieces = dashes(&line, 4.0, 2.0);
        assert_eq!(pieces[0], vec![(0.0, 0.0), (4.0, 0.0)]);
        assert_eq!(pieces[1], vec![(6.0, 0.0), (10.0, 0.0)]);
        assert_eq!(pieces[2], vec![(10.0, 2.0), (10.0, 6.0)]);
        assert_eq!(pieces[3], vec![(10.0, 8.0), (10.0, 10.0)]);
        let dots = along(&line, 5.0);
        assert_eq!(
            dots,
            vec![
                (0.0, 0.0),
                (5.0, 0.0),
                (10.0, 0.0),
                (10.0, 5.0),
                (10.0, 10.0)
            ]
        );
    }
}
