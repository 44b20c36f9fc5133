/** The e-insurance code (电子医保凭证): the person's QR token drawn as a QR code for the hospital's scanner. */
import { useMemo, useState } from 'react';
import { useI18n } from '../i18n/index.tsx';
import { encodeQr, qrSvgPath } from '../qr.ts';

export function InsuranceQr({ token }: { token: string }) {
  const { t } = useI18n();
  const [open, setOpen] = useState(false);
  const code = useMemo(() => encodeQr(token), [token]);
  const side = code.size + 8;
  return (
    <div className="insurance-qr">
      <button type="button" onClick={() => setOpen(!open)} aria-expanded={open} data-testid="qr-toggle">
        {t('me.qrShow')}
      </button>
      {open ? (
        <figure data-testid="insurance-qr" data-token={token}>
          <figcaption>{t('me.qrTitle')}</figcaption>
          <svg viewBox={`0 0 ${side} ${side}`} role="img" aria-label={t('me.qrTitle')} shapeRendering="crispEdges">
            <rect width={side} height={side} fill="#fff" />
            <path d={qrSvgPath(code)} fill="#000" />
          </svg>
          <p className="muted small">{t('me.qrHint')}</p>
        </figure>
      ) : null}
    </div>
  );
}
