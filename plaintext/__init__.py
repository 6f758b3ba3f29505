"""Plain text: names, titles and notes without control or direction-changing characters, and of a
bounded length. The bottom layer: every app may import it; it imports none of them."""
