fn main() {
    let _ = ftrack::query!("select nmae from Shot where parent.nmae is x and bid like \"1%\"");
}
