//! A browser named for people ("Firefox", "Linux"), from its user agent.

/// The browser and the system a user agent names, where it names them.
pub fn device_of(user_agent: &str) -> (Option<&'static str>, Option<&'static str>) {
    let ua = user_agent;
    // Order matters: Edge and Opera also say "Chrome", Chrome also says "Safari".
    let browser = [
        ("Edg/", "Edge"),
        ("OPR/", "Opera"),
        ("Firefox/", "Firefox"),
        ("Chrome/", "Chrome"),
        ("Chromium/", "Chromium"),
        ("Safari/", "Safari"),
        ("curl/", "curl"),
    ]
    .iter()
    .find(|(token, _)| ua.contains(token))
    .map(|(_, name)| *name);
    let system = [
        ("Android", "Android"),
        ("iPhone", "iOS"),
        ("iPad", "iPadOS"),
        ("Windows", "Windows"),
        ("Mac OS X", "macOS"),
        ("CrOS", "ChromeOS"),
        ("Linux", "Linux"),
    ]
    .iter()
    .find(|(token, _)| ua.contains(token))
    .map(|(_, name)| *name);
    (browser, system)
}

#[cfg(test)]
mod tests {
    use super::device_of;

    #[test]
    fn common_browsers_are_named() {
        assert_eq!(
            device_of("Mozilla/5.0 (X11; Linux x86_64; rv:133.0) Gecko/20100101 Firefox/133.0"),
            (Some("Firefox"), Some("Linux"))
        );
        assert_eq!(
            device_of("Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/131.0.0.0 Safari/537.36 Edg/131.0.0.0"),
            (Some("Edge"), Some("Windows"))
        );
        assert_eq!(
            device_of("Mozilla/5.0 (iPhone; CPU iPhone OS 18_1 like Mac OS X) AppleWebKit/605.1.15 (KHTML, like Gecko) Version/18.1 Mobile/15E148 Safari/604.1"),
            (Some("Safari"), Some("iOS"))
        );
        assert_eq!(device_of(""), (None, None));
    }
}
