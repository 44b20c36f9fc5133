/** The Tibetan webfont (Noto Serif Tibetan): imported only when Tibetan is the page's language, so other readers never download it. */
import '@fontsource/noto-serif-tibetan/tibetan-400.css';
import '@fontsource/noto-serif-tibetan/tibetan-700.css';
